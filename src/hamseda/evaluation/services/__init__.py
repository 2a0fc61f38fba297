"""Writes of the evaluation app, one module per sub-domain: ``compute`` (the
engine), ``cycles`` (cycles and their catalogue), ``ratings`` (evaluators,
ratings, self-assessments, evidence) and ``appeals``."""

"""Media monitoring: Persian news coverage of every agency, clustered into stories."""

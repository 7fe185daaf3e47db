"""Support code of the tests: reference values from the papers and the served-dashboard helpers."""

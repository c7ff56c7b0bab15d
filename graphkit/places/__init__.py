"""Places on the globe: distances (geodesy) and the world gazetteer."""

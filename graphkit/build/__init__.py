"""The build pipeline: data/ + the world step -> a validated store and its snapshot under out/."""

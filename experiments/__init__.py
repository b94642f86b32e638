"""The experiment files: Hydra overrides and grids of each sweep (registered as the experiment group)."""

"""daicho (台帳): personal-information-protection records kept as validated YAML in git."""

__version__ = "0.1.0"

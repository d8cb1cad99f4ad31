"""Lead-scoring warehouse: harness and CLI around the dbt project."""

__version__ = "0.1.0"

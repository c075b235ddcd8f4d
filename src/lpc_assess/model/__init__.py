"""The framework and answers models (pydantic), their rules, and the JSON Schemas."""

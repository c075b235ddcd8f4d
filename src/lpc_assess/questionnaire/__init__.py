"""The `take` questionnaire: a loop of steps over a small prompt interface."""

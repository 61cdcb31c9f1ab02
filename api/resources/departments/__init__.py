"""Departments: the responsible units."""

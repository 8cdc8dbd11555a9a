"""Question exchange formats: GIFT and Moodle XML."""

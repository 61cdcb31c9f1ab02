"""Areas: the responsibility map from city to grid."""

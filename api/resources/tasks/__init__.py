"""Work queues: GET /api/v1/tasks."""

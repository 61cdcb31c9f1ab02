"""Messages of the work queues and the SLA scan."""

TASK_MESSAGES: dict[str, tuple[str, str]] = {
    "task_queue_not_yours": (
        "您的角色没有这个工作队列；可用的队列：{queues}。",
        "Your roles have no such work queue; yours are: {queues}.",
    ),
}

namespace Pipeline.Durable;

public enum TimeoutType
{
    StartToClose,
    ScheduleToStart,
    ScheduleToClose,
    Heartbeat,
}

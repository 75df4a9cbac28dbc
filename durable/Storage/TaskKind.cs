namespace Pipeline.Durable.Storage;

public enum TaskKind
{
    Workflow,
    Activity,
}

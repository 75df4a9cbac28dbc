using Pipeline.Durable.Client;
using Pipeline.Durable.History;

namespace Pipeline.Durable.Tests.Support;

public static class HistoryExtensions
{
    public static IReadOnlyList<HistoryEvent> Of(this IEnumerable<HistoryEvent> history, EventType type) =>
        history.Where(e => e.EventType == type).ToList();

    public static async Task<bool> HasEventAsync(this WorkflowHandle handle, EventType type) =>
        (await handle.FetchHistoryAsync()).Any(e => e.EventType == type);
}

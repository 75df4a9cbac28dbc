using System.CommandLine;
using System.Data.Common;
using System.Net.Sockets;
using Pipeline.Durable.Client;
using Pipeline.Durable.Storage;
using Pipeline.Workers.Hosting;

namespace Pipeline.Workers.Cli;

/// <summary>An opened store (schema ensured) and a client on it, for one CLI command.</summary>
public sealed class CliSession : IAsyncDisposable
{
    private CliSession(IWorkflowStore store)
    {
        Store = store;
        Client = new WorkflowClient(store, new WorkflowClientOptions
        {
            Workflows = WorkflowRegistry.Workflows,
            Identity = $"cli@{Environment.MachineName}:{Environment.ProcessId}",
        });
    }

    public IWorkflowStore Store { get; }

    public WorkflowClient Client { get; }

    /// <summary>Opens the store named by --store. With <paramref name="create"/> false a missing SQLite file is an
    /// error rather than a new empty store: reading from a mistyped path should say so.</summary>
    public static Task<CliSession> OpenAsync(ParseResult p, bool create, CancellationToken ct) =>
        OpenAsync(CliOptions.ParseStore(p), create, ct);

    /// <summary>Opens an already resolved store, for a command that has loaded the whole configuration itself.</summary>
    public static async Task<CliSession> OpenAsync(StoreUri uri, bool create, CancellationToken ct)
    {
        if (!create && uri.SqlitePath is { } path && !File.Exists(path))
            throw new UsageException($"--store: no store at {path} yet (start `pipeline server` or a workflow first, or pass --store / set PIPELINE__STORE)");
        var store = uri.Open();
        try
        {
            await store.InitializeAsync(ct);
            return new CliSession(store);
        }
        catch (Exception e) when (e is DbException or SocketException or TimeoutException or IOException)
        {
            await store.DisposeAsync();
            throw new UsageException($"--store: cannot open {store.Description}: {e.Message}", e);
        }
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}

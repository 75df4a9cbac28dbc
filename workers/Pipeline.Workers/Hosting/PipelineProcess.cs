using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Activities;
using Pipeline.Durable.Client;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Logging;
using Pipeline.Workers.Cli;
using Pipeline.Workers.Recipe;

namespace Pipeline.Workers.Hosting;

/// <summary>
/// One running pipeline process, wired once for <c>pipeline server</c>, <c>pipeline worker</c> and <c>pipeline demo</c>:
/// the store and a client on it, the adapters the settings name (artifacts, tracking, bus with its outbox), the recipe's
/// activities, and for a server the <c>DatasetVersionPublished</c> consumer and the serving API. The caller adds
/// workers to <see cref="Host"/> and runs it.
/// </summary>
public sealed class PipelineProcess : IAsyncDisposable
{
    private readonly IHost _app;
    private readonly CliSession _session;

    private PipelineProcess(IHost app, CliSession session, ProcessRole role)
    {
        (_app, _session, Role) = (app, session, role);
        Host = new PipelineHost(session.Store, Services.GetRequiredService<ILoggerFactory>());
    }

    public ProcessRole Role { get; }

    public IServiceProvider Services => _app.Services;

    public WorkflowClient Client => _session.Client;

    public PipelineHost Host { get; }

    /// <summary>The serving API's address (server role).</summary>
    public Uri? ServingUrl => Role == ProcessRole.Server ? Services.GetRequiredService<ServingService>().ListenUrl : null;

    /// <summary>The audit UI's address (server role, <c>Ui:Enabled</c>).</summary>
    public Uri? UiUrl => Services.GetService<UiService>()?.Url;

    /// <param name="recipe">The recipe the event consumer starts runs with; default <c>Recipe:File</c> or the shipped defaults.</param>
    public static async Task<PipelineProcess> StartAsync(CliConfig config, ProcessRole role, CancellationToken ct, RecipeDefinition? recipe = null)
    {
        var settings = config.Settings;
        recipe ??= new RecipeDefinition(RecipeConfigFile.Load(settings.Recipe.File), settings.Recipe.File is { Length: > 0 } f ? f : "the shipped defaults");
        var store = CliOptions.ParseStore(config);
        var session = await CliSession.OpenAsync(store, create: true, ct);
        try
        {
            var server = role == ProcessRole.Server;
            var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddConfiguration(config.Root);
            builder.Logging.AddPipelineLogging(settings.Logging);
            // On the in-memory bus only the server's dispatcher may empty the shared outbox: its consumers are the only ones.
            var dispatch = server || settings.Bus.Transport != BusTransport.InMemory;
            builder.Services.AddPipelineInfrastructure(settings, store, server ? x => x.AddConsumer<DatasetVersionPublishedConsumer>() : null, dispatch);
            builder.Services.AddSingleton(settings).AddSingleton(settings.Recipe).AddSingleton(recipe).AddSingleton(session.Client).AddSingleton<RecipeLauncher>();
            if (server) builder.Services.AddSingleton<ServingService>().AddHostedService(sp => sp.GetRequiredService<ServingService>());
            if (server && settings.Ui.Enabled) builder.Services.AddSingleton<UiService>().AddHostedService(sp => sp.GetRequiredService<UiService>());
            builder.Services.AddPipelineActivities(Path.GetFullPath(settings.Recipe.WorkspaceOr(settings.DataDir)), settings.Tracking.Experiment,
                sp => server ? sp.GetRequiredService<ServingService>().Url : settings.Serving.UrlFor(settings.Serving.Port));
            var app = builder.Build();
            // Starting validates the settings (ValidateOnStart), starts the bus (it keeps reconnecting on its own if
            // the broker is down), the outbox dispatcher and the serving API.
            await app.StartAsync(ct);
            return new PipelineProcess(app, session, role);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        _app.Dispose();
        await _session.DisposeAsync();
    }
}

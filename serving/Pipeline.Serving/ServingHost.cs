using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Tracking;
using Pipeline.Serving.Models;

namespace Pipeline.Serving;

/// <summary>
/// The serving API on Kestrel at 127.0.0.1, in-process: for tests and for <c>pipeline demo</c>. Port 0 picks a free
/// port; <see cref="Url"/> is the address actually bound.
/// </summary>
public sealed class ServingHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServingHost(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The bound base URL, e.g. http://127.0.0.1:41234/ (routes: v1/chat/completions, admin/experiments/…).</summary>
    public Uri Url { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ServingHost> StartAsync(
        ServingOptions options, IArtifactStore artifacts, ITrackingStore tracking, int port = 0,
        Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(artifacts).AddSingleton(tracking).AddPipelineServing(options);
        var app = builder.Build();
        app.MapPipelineServing();
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServingHost(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

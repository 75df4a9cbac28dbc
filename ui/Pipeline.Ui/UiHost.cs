using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Ui;

/// <summary>The audit UI on Kestrel at 127.0.0.1, in-process: <c>pipeline ui</c>, <c>pipeline server</c> and tests.
/// Port 0 picks a free port; <see cref="Url"/> is the address actually bound.</summary>
public sealed class UiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private UiHost(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The bound base URL, e.g. http://127.0.0.1:41234/ (the page at /, the JSON API under /api/).</summary>
    public Uri Url { get; }

    public static async Task<UiHost> StartAsync(UiOptions options, UiSources sources, int port = 0,
        Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.Services.AddPipelineUi(options, sources);
        var app = builder.Build();
        app.MapPipelineUi();
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new UiHost(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

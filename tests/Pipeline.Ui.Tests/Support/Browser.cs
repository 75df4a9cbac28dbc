using Microsoft.Playwright;
using Pipeline.Tests.Shared;

namespace Pipeline.Ui.Tests.Support;

/// <summary>One headless Chromium for the whole collection: Debian's /usr/bin/chromium (infra/services/install.sh
/// chromium) driven by Playwright, launched on first use. Screenshots land in TestResults/screenshots/ at the repo root.</summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string ScreenshotFolder => RepoRoot.Combine("TestResults", "screenshots");

    /// <summary>A fresh page (its own context) opened at <paramref name="url"/>, with the navigation's response.</summary>
    public async Task<(IPage Page, IResponse? Response)> OpenAsync(Uri url)
    {
        var browser = await LaunchedAsync();
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(url.ToString(), new() { WaitUntil = WaitUntilState.Load });
        return (page, response);
    }

    /// <summary>Saves the full page as TestResults/screenshots/NAME.png and returns the path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    private async Task<IBrowser> LaunchedAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_browser is not null) return _browser;
            if (!File.Exists(ChromiumPath))
            {
                throw new InvalidOperationException($"{ChromiumPath} not found: run `infra/services/install.sh chromium`");
            }
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic"],
            });
            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        _gate.Dispose();
    }
}

using Pipeline.Ui.Tests.Support;

namespace Pipeline.Ui.Tests;

/// <summary>The page in a real Chromium over the real runs.</summary>
[Collection(UiCollection.Name)]
public sealed class PageTests(UiWorld ui, Browser browser)
{
    // Chromium launches and the host answers 200 (checked); only the title fails while ui/Pipeline.Ui/wwwroot/index.html
    // is still the empty placeholder on this branch. Remove the Skip once the page lands.
    [Fact(Skip = "index.html is still empty on this branch (the page is written in parallel): the title is \"\". Unskip when the page lands.")]
    public async Task Root_InChromium_Returns200WithPipelineInTheTitle()
    {
        var (page, response) = await browser.OpenAsync(ui.Ui.Url);
        await using var context = page.Context;
        await Browser.ScreenshotAsync(page, "root");

        Assert.Equal(200, response?.Status);
        Assert.Contains("Pipeline", await page.TitleAsync());
    }
}

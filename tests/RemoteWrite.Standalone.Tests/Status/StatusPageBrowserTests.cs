using System.Net;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using RemoteWrite.Standalone.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.Standalone.Tests.Status;

/// <summary>
/// The status page in Debian's headless Chromium: the built relay as its own process against the
/// local Azure stand-in, writes that cause figures (accepted samples, a drop over the label limit,
/// an Azure 429 from the stand-in's fault injection), the page loaded and read like a user would,
/// and a screenshot kept as a test artifact (<c>artifacts/status-page.png</c> in the output directory).
/// </summary>
[Slow]
public sealed class StatusPageBrowserTests(ITestOutputHelper output) : IDisposable
{
    private const string Dcr = "dcr-status-page";
    private LocalAzureProcess? _stand;
    private RelayChild? _relay;

    [ChromiumFact]
    public async Task The_page_shows_the_figures_the_test_caused()
    {
        _stand = await LocalAzureProcess.StartAsync();
        _relay = await RelayChild.StartAgainstAsync(_stand, Dcr);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        using (var accepted = await _relay.WriteAsync(RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 40, samplesPerSeries: 3))))
        {
            Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        }

        var tooMany = Enumerable.Range(0, 70).Select(i => ($"l{i:D2}", "v")).ToArray();
        using (var dropped = await _relay.WriteAsync(RemoteWriteBodies.Compress(RemoteWriteBodies.Series("wide_metric", now, 1, tooMany))))
        {
            Assert.Equal(HttpStatusCode.NoContent, dropped.StatusCode);
        }

        await _stand.SetFaultAsync("""{"status":429,"retryAfterSeconds":1,"requests":1,"target":"ingestion"}""");
        using (var throttled = await _relay.WriteAsync(RemoteWriteBodies.Compress(RemoteWriteBodies.Series("up", now, 1))))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, throttled.StatusCode);
        }

        using var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromiumFactAttribute.ChromeDriverPath)!, Path.GetFileName(ChromiumFactAttribute.ChromeDriverPath));
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumFactAttribute.ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1500");
        using var browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        browser.Navigate().GoToUrl(new Uri(_relay.Address, "/").ToString());

        Assert.Equal("relay status", browser.Title);
        Assert.Equal("122", browser.FindElement(By.Id("in-total")).Text); // 120 accepted, 1 dropped, 1 refused by Azure (429)
        Assert.Equal("120", browser.FindElement(By.Id("out-total")).Text);
        Assert.Equal("1", browser.FindElement(By.Id("drop-label_limit")).Text);
        Assert.Equal("held", browser.FindElement(By.Id("token-state")).Text);
        var endpoints = browser.FindElement(By.Id("endpoints")).Text;
        Assert.Contains(Dcr, endpoints);
        Assert.Contains("429", endpoints);
        Assert.Contains("InjectedFault", endpoints);
        Assert.Contains("120 (0%)", browser.FindElement(By.Id("volume")).Text);

        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;
        var screenshot = Path.Combine(artifacts, "status-page.png");
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(screenshot);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is an image of the page");
        output.WriteLine($"status page screenshot: {screenshot}");
    }

    public void Dispose()
    {
        _relay?.Dispose();
        _stand?.Dispose();
    }
}

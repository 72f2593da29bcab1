using System.Net;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>
/// The dashboard in a real browser: Debian's Chromium, headless, driven by WebDriver through Debian's chromedriver,
/// against the host on Kestrel at 127.0.0.1 and a free port, the scheduler on the appliance simulator and the real clock.
/// Skipped only where Chromium is not installed and this is not CI; in CI (<c>CI=true</c>, where <c>.ci/run</c> installs
/// it) a missing browser fails the test.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    [SkippableFact]
    public async Task Operator_SeesSchedules_TriggersOne_WatchesItComplete_AndReadsThePerVmOutcomes()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        var installed = File.Exists(Chromium) && File.Exists(ChromeDriver);
        Skip.If(!installed && !ci, $"{Chromium} or {ChromeDriver} is not installed (apt-get install chromium chromium-driver); the browser test runs in CI, where .ci/run installs them.");
        installed.Should().BeTrue($"CI must run the browser test: {Chromium} and {ChromeDriver} are installed by .ci/run");

        // Jobs take 3 s on the simulator, so the execution page first shows the execution running.
        await using var app = await TestApp.StartAsync(kestrel: true, jobDuration: TimeSpan.FromSeconds(3));
        var root = app.Address!.ToString().TrimEnd('/');
        using var driver = StartBrowser(out var profile);
        try
        {
            // Anonymous: refused, nothing of the scheduler shown.
            using (var anonymous = new HttpClient())
            {
                (await anonymous.GetAsync($"{root}/replication/")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
                (await anonymous.GetAsync($"{root}/api/replication/schedules")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            }

            driver.Navigate().GoToUrl($"{root}/replication/");
            driver.FindElements(By.Id("schedules")).Should().BeEmpty("an anonymous browser sees no dashboard");

            // Sign in (the test handler's cookie), land on the overview: schedules with their next run in their zone and UTC.
            driver.Navigate().GoToUrl($"{root}/test/sign-in?user=alice&roles={TestApp.OperatorRole}");
            var nightly = await WaitForAsync(() => driver.FindElements(By.CssSelector("#schedules tbody tr")).FirstOrDefault(r => r.Text.Contains("Nightly production", StringComparison.Ordinal)));
            driver.FindElement(By.Id("user")).Text.Should().Be("alice");
            nightly.FindElement(By.CssSelector(".next-local")).Text.Should().MatchRegex(@"^\d{4}-\d\d-\d\d 03:00:00 \(\+0[01]:00\)$", "03:00 in Europe/London");
            nightly.FindElement(By.CssSelector(".next-utc")).Text.Should().MatchRegex(@"^\d{4}-\d\d-\d\d 0[23]:00:00 UTC$");
            Screenshot(driver, "1-overview.png");

            // Trigger it from the schedule's page and follow the execution page until it completes.
            nightly.FindElement(By.LinkText("Nightly production")).Click();
            var reason = await WaitForAsync(() => driver.FindElements(By.CssSelector("form.action input[name=reason]")).FirstOrDefault());
            driver.FindElements(By.CssSelector("#next-runs tbody tr")).Should().HaveCount(5, "the schedule page lists its next runs");
            Screenshot(driver, "1b-schedule.png");
            reason.SendKeys("browser test");
            driver.FindElement(By.CssSelector("form.action button[data-action=trigger]")).Click();
            await WaitForAsync(() => driver.FindElements(By.Id("notice")).FirstOrDefault(n => n.Text.Contains("Execution triggered", StringComparison.Ordinal)));
            driver.Url.Should().Contain("/replication/executions/");
            await WaitForAsync(() => driver.FindElements(By.CssSelector("#execution-status .status")).FirstOrDefault(s => s.Text == "Running"));
            driver.FindElement(By.TagName("body")).GetAttribute("data-live").Should().Be("true");

            // A mark in this page's script state: still there at the end means the page followed the run in place, not by reloading.
            ((IJavaScriptExecutor)driver).ExecuteScript("window.rsdkSamePage = 'yes';");
            var status = await WaitForAsync(() => driver.FindElements(By.CssSelector("#execution-status .status")).FirstOrDefault(s => s.Text is "Completed" or "Failed" or "CompletedWithErrors"));
            status.Text.Should().Be("Completed", "the simulator completes both jobs; the page followed the execution live");
            ((IJavaScriptExecutor)driver).ExecuteScript("return window.rsdkSamePage;").Should().Be("yes", "the live script swapped the content without a reload");
            driver.FindElement(By.TagName("body")).GetAttribute("data-live").Should().Be("false", "a finished execution stops the live refresh");

            // Reopen it (a fresh load, not the live swap) and read the per-VM outcomes.
            var executionId = driver.Url.Split('/').Last().Split('?')[0];
            driver.Navigate().GoToUrl($"{root}/replication/executions/{executionId}");
            var rows = await WaitForAsync(() => driver.FindElements(By.CssSelector("#outcomes tbody tr")) is { Count: 2 } r ? r : null);
            var outcomes = rows.Select(r => r.FindElements(By.TagName("td")).Select(c => c.Text).ToList()).ToList();
            outcomes.Select(o => o[0]).Should().BeEquivalentTo("vm001", "vm002");
            outcomes.Should().OnlyContain(o => o[2] == "JobCompleted" && o[4].Length > 0, "each VM's job completed and has its job id");
            var record = app.Executions.All.Should().ContainSingle().Subject;
            record.Id.Should().Be(executionId);
            record.Reason.Should().Be("browser test");
            outcomes.Select(o => o[4]).Should().BeEquivalentTo(record.CreatedJobIds);
            app.Audit.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Principal = "alice", Action = "trigger", Channel = "dashboard", Outcome = AuditOutcome.Succeeded, ExecutionId = executionId });
            Screenshot(driver, "2-execution.png");

            driver.Navigate().GoToUrl($"{root}/replication/");
            await WaitForAsync(() => driver.FindElements(By.CssSelector("#schedules tbody tr")).FirstOrDefault(r => r.Text.Contains("Completed", StringComparison.Ordinal)));
            var overview = Screenshot(driver, "3-overview-after-run.png");
            if (Environment.GetEnvironmentVariable("REPLICATION_SDK_UPDATE_SCREENSHOT") == "1")
            {
                File.Copy(overview, Path.Combine(RepositoryRoot(), "docs", "images", "dashboard.png"), overwrite: true);
            }
        }
        finally
        {
            driver.Quit();
            TryDelete(profile);
        }
    }

    private static ChromeDriver StartBrowser(out string profile)
    {
        // Never let WebDriver's own manager look for (or download) a browser or a driver: both are Debian's.
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        profile = Path.Combine(Path.GetTempPath(), $"rsdk-chromium-{Guid.NewGuid():N}");
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1100", $"--user-data-dir={profile}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> find)
        where T : class
    {
        // A real browser on the real clock: poll the page (bounded), as a person watching it would.
        using var bound = new CancellationTokenSource(Bound);
        while (true)
        {
            try
            {
                if (find() is { } found)
                {
                    return found;
                }
            }
            catch (StaleElementReferenceException)
            {
                // The live page swapped its content under the lookup: look again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), bound.Token);
        }
    }

    private static string Screenshot(ChromeDriver driver, string name)
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "Replication.Sdk.Scheduling.AspNetCore.Tests", "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Replication.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Replication.Sdk.sln not found above the test output.");
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; the temp folder is the system's to clean.
        }
    }
}

using System.Diagnostics;
using System.Text;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// The gateway as its own operating-system process (<c>dotnet Gateway.dll</c>, the build the tests reference), run
/// from a folder of its own with appsettings.json, routes.json and an htpasswd file, configured by environment
/// variables as a deployment would be. Ended by its pid on dispose; its output is kept for failure messages.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private GatewayProcess(Process process, Uri address, string directory)
    {
        _process = process;
        Address = address;
        Directory = directory;
    }

    public Uri Address { get; }

    public string Directory { get; }

    /// <summary>What the process has written to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a gateway in front of <paramref name="backendUrl"/> with <paramref name="environment"/> (ASP.NET's
    /// <c>Section__Key</c> form) and waits until <c>/readyz</c> answers 200.
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(string backendUrl, string usersFile, IDictionary<string, string> environment)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("gw-process-").FullName;
        var address = new Uri($"http://127.0.0.1:{RedisServer.FreePort()}");
        var start = await PrepareAsync(directory, address, backendUrl, usersFile, environment, []);

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var gateway = new GatewayProcess(process, address, directory);
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await gateway.WaitReadyAsync();
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
        return gateway;
    }

    /// <summary>
    /// Runs <c>dotnet Gateway.dll <paramref name="args"/></c> set up as <see cref="StartAsync"/> does (routes to
    /// <paramref name="backendUrl"/>, <paramref name="environment"/> last) and waits up to 60 s for it to exit: a start
    /// that fails, or a command. <paramref name="prepare"/> may add files to the folder first.
    /// </summary>
    public static async Task<GatewayExit> RunToExitAsync(string backendUrl, string usersFile, IDictionary<string, string> environment,
        string[]? args = null, Func<string, Task>? prepare = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("gw-process-").FullName;
        try
        {
            var start = await PrepareAsync(directory, new Uri($"http://127.0.0.1:{RedisServer.FreePort()}"), backendUrl, usersFile, environment, args ?? []);
            if (prepare is not null)
            {
                await prepare(directory);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw new TimeoutException($"the gateway process did not exit within 60 s:\n{await output}\n{await error}");
            }
            return new GatewayExit(process.ExitCode, await output, await error);
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Left to the OS's temp cleanup.
            }
        }
    }

    private static async Task<ProcessStartInfo> PrepareAsync(string directory, Uri address, string backendUrl, string usersFile,
        IDictionary<string, string> environment, string[] args)
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "appsettings.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(directory, "routes.json"), GatewayHost.Routes(backendUrl));
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(GatewayApplication).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ASPNETCORE_URLS"] = address.AbsoluteUri;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Gateway__Users__File"] = usersFile;
        start.Environment["Gateway__Users__Roles__alice__0"] = "user";
        start.Environment["Gateway__Users__Roles__bob__0"] = "admin";
        start.Environment["Gateway__Policies__admins__Roles__0"] = "admin";
        start.Environment["Gateway__Demo__Upstream"] = "";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return start;
    }

    /// <summary>A client that neither follows redirects nor keeps cookies.</summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    private async Task WaitReadyAsync()
    {
        using var client = CreateClient();
        var ready = await Eventually.WithinAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the gateway process exited ({_process.ExitCode}):\n{Output}");
            }
            try
            {
                return (await client.GetAsync("/readyz")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false; // Not listening yet.
            }
        }, TimeSpan.FromSeconds(30));
        if (!ready)
        {
            throw new TimeoutException($"the gateway process was not ready within 30 s:\n{Output}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleanup.
        }
    }
}

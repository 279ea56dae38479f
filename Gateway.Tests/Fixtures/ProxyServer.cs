using System.Diagnostics;
using System.Net.Sockets;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// A real proxy in front of the gateway (nginx or Caddy, Debian packages) with its own configuration in a temporary
/// directory, on a free loopback port, started in the foreground and stopped by its pid.
/// </summary>
public sealed class ProxyServer : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gw-proxy-").FullName;
    private readonly string _program;
    private readonly Func<string, string, string[]> _arguments;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _process;

    private ProxyServer(string program, Func<string, string, string[]> arguments)
    {
        _program = program;
        _arguments = arguments;
    }

    public static ProxyServer Nginx() => new("nginx", (directory, file) =>
        ["-p", directory, "-c", file, "-e", Path.Combine(directory, "error.log"), "-g", $"daemon off; pid {directory}/nginx.pid;"]);

    public static ProxyServer Caddy() => new("caddy", (_, file) => ["run", "--config", file, "--adapter", "caddyfile"]);

    /// <summary>True when the program is installed (Caddy may not be).</summary>
    public bool Installed => Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, _program)));

    public int Port { get; } = RedisServer.FreePort();

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>Starts the proxy with <paramref name="configuration"/> and waits (up to 15 s) until it accepts connections.</summary>
    public async Task StartAsync(string configuration)
    {
        var file = Path.Combine(_directory, "proxy.conf");
        await File.WriteAllTextAsync(file, configuration);
        var info = new ProcessStartInfo(_program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in _arguments(_directory, file))
        {
            info.ArgumentList.Add(argument);
        }
        // Caddy keeps state under the home and XDG directories: this run's own.
        info.Environment["HOME"] = info.Environment["XDG_DATA_HOME"] = info.Environment["XDG_CONFIG_HOME"] = _directory;
        _process = Process.Start(info) ?? throw new InvalidOperationException(_program + " did not start");
        // Drained as it comes: a full pipe would stall the proxy.
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var listening = await Eventually.WithinAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(_program + " exited: " + string.Join('\n', _output));
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(15));
        if (!listening)
        {
            throw new InvalidOperationException($"{_program} did not listen on port {Port} within 15 s: " + string.Join('\n', _output));
        }
    }

    private void Keep(string? line)
    {
        if (line is not null && _output.Count < 200)
        {
            _output.Enqueue(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // the proxy may still hold a file for a moment; the temporary directory is the OS's to clean.
        }
    }
}

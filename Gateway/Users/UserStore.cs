using Gateway.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Users;

/// <summary>
/// The users from <c>Gateway:Users:File</c> (or the embedded demo file), swapped atomically when the file
/// changes. A reload that cannot read the file keeps the last good users; refused lines are logged.
/// </summary>
internal sealed partial class UserStore : IDisposable
{
    private const string DemoResource = "Gateway.Users.demo.htpasswd";

    private readonly IOptionsMonitor<GatewayOptions> _options;
    private readonly ILogger<UserStore> _logger;
    private readonly PhysicalFileProvider? _files;
    private readonly IDisposable? _watch;
    private volatile Snapshot _current;

    public UserStore(IOptionsMonitor<GatewayOptions> options, IHostEnvironment environment, ILogger<UserStore> logger)
    {
        _options = options;
        _logger = logger;
        var file = options.CurrentValue.Users.File;
        if (file.Length == 0)
        {
            Path = null;
            _current = Load(ReadDemo(), "embedded demo users");
            LogDemoUsers(_logger);
            return;
        }
        Path = ConfigDirectory.Resolve(environment, file);
        _current = Load(File.ReadAllText(Path), Path);
        _files = new PhysicalFileProvider(System.IO.Path.GetDirectoryName(Path)!);
        var name = System.IO.Path.GetFileName(Path);
        _watch = ChangeToken.OnChange(() => _files.Watch(name), Reload);
    }

    /// <summary>The htpasswd file in use, or null for the embedded demo users.</summary>
    public string? Path { get; }

    /// <summary>Incremented on every successful reload: caches of verified credentials key on it.</summary>
    public int Version => _current.Version;

    /// <summary>A hash of the most common cost, for unknown users: they cost one bcrypt like everyone else.</summary>
    public string DummyHash => _current.DummyHash;

    public UserEntry? Find(string name) => _current.Users.GetValueOrDefault(name);

    /// <summary>The user's roles as configured now (not as at login).</summary>
    public string[] RolesOf(string name) => _options.CurrentValue.Users.Roles.GetValueOrDefault(name) ?? [];

    public void Dispose()
    {
        _watch?.Dispose();
        _files?.Dispose();
    }

    private void Reload()
    {
        // Editors and 'htpasswd' write in several steps; read again until the text is stable.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                Thread.Sleep(50);
                var text = File.ReadAllText(Path!);
                _current = Load(text, Path!, _current.Version + 1);
                LogReloaded(_logger, Path!, _current.Users.Count);
                return;
            }
            catch (IOException e) when (attempt < 4)
            {
                LogReloadRetry(_logger, Path!, e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogReloadFailed(_logger, Path!, e.Message);
                return;
            }
        }
    }

    private Snapshot Load(string text, string source, int version = 1)
    {
        var result = HtpasswdParser.Parse(text);
        foreach (var problem in result.Problems)
        {
            LogRefusedLine(_logger, source, problem);
        }
        if (result.Users.Count == 0)
        {
            LogNoUsers(_logger, source);
        }
        var cost = result.Users.Values.GroupBy(u => u.Cost).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault(10);
        var dummy = _current is { } previous && previous.DummyCost == cost ? previous.DummyHash : BCrypt.Net.BCrypt.HashPassword("dummy", cost);
        return new Snapshot(result.Users, dummy, cost, version);
    }

    private static string ReadDemo()
    {
        using var stream = typeof(UserStore).Assembly.GetManifestResourceStream(DemoResource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, UserEntry> Users, string DummyHash, int DummyCost, int Version);

    [LoggerMessage(EventId = 1100, EventName = "DemoUsers", Level = LogLevel.Warning,
        Message = "Gateway:Users:File is not set: using the embedded demo user 'demo' (password 'demo'). Do not expose this gateway.")]
    private static partial void LogDemoUsers(ILogger logger);

    [LoggerMessage(EventId = 1101, EventName = "UsersReloaded", Level = LogLevel.Information, Message = "Reloaded users from {Path}: {Count} users.")]
    private static partial void LogReloaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 1102, EventName = "UsersReloadFailed", Level = LogLevel.Error, Message = "Could not reload users from {Path}; keeping the previous users: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1103, EventName = "HtpasswdLineRefused", Level = LogLevel.Error, Message = "Refused an entry of {Source}: {Problem}")]
    private static partial void LogRefusedLine(ILogger logger, string source, string problem);

    [LoggerMessage(EventId = 1104, EventName = "NoUsers", Level = LogLevel.Warning, Message = "{Source} holds no usable user: nobody can log in.")]
    private static partial void LogNoUsers(ILogger logger, string source);

    [LoggerMessage(EventId = 1105, EventName = "UsersReloadRetry", Level = LogLevel.Debug, Message = "Retrying the read of {Path}: {Reason}")]
    private static partial void LogReloadRetry(ILogger logger, string path, string reason);
}

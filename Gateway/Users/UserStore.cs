using Gateway.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Users;

/// <summary>
/// The users from <c>Gateway:Users:File</c> (or the embedded demo file), swapped atomically when the file
/// changes. A reload that cannot read the file, finds it still changing, finds it empty (a writer that truncated it
/// and has not written yet) or finds lines but no usable entry keeps the last good users; refused lines are logged.
/// </summary>
internal sealed partial class UserStore : IDisposable
{
    private const string DemoResource = "Gateway.Users.demo.htpasswd";
    private const int MaxReads = 10;
    private static readonly TimeSpan ReadInterval = TimeSpan.FromMilliseconds(50);

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
            _current = Load(HtpasswdParser.Parse(ReadDemo()), "embedded demo users");
            LogDemoUsers(_logger);
            return;
        }
        Path = ConfigDirectory.Resolve(environment, file);
        _current = Load(HtpasswdParser.Parse(ReadAtStart(file, Path)), Path);
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

    /// <summary>
    /// Raised after a reload that removed users or changed their passwords, with each such user and why
    /// (<c>user_removed</c>, <c>password_changed</c>): their sessions must end now, not at their next request, or a
    /// line restored unchanged would bring idle sessions back.
    /// </summary>
    public event Action<IReadOnlyList<(string User, string Reason)>>? UsersEnded;

    /// <summary>The user's roles as configured now (not as at login).</summary>
    public string[] RolesOf(string name) => _options.CurrentValue.Users.Roles.GetValueOrDefault(name) ?? [];

    public void Dispose()
    {
        _watch?.Dispose();
        _files?.Dispose();
    }

    private void Reload()
    {
        string? text;
        try
        {
            text = ReadStable(() => File.ReadAllText(Path!), () => Thread.Sleep(ReadInterval), MaxReads, e => LogReloadRetry(_logger, Path!, e.Message));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogReloadFailed(_logger, Path!, e.Message);
            return;
        }
        if (text is null)
        {
            LogReloadFailed(_logger, Path!, $"the file was still changing after {MaxReads} reads");
            return;
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            // `cat > users.htpasswd` and most tools that rewrite in place truncate first: read between the truncation
            // and the write, the file would remove every user and end every session. Removing everyone takes a line.
            LogReloadEmpty(_logger, Path!, _current.Users.Count);
            return;
        }
        var result = HtpasswdParser.Parse(text);
        if (result.Users.Count == 0 && result.Problems.Count > 0)
        {
            // Lines, but not one usable entry: a broken edit, not a decision to remove everyone (that would end every
            // session at its next request). An empty file still empties the user set.
            LogRefusedLines(Path!, result);
            LogReloadRejected(_logger, Path!, result.Problems.Count, _current.Users.Count);
            return;
        }
        var previous = _current;
        _current = Load(result, Path!, _current.Version + 1);
        LogReloaded(_logger, Path!, _current.Users.Count);
        var ended = UserChanges.Ended(previous.Users, _current.Users);
        if (ended.Count > 0)
        {
            UsersEnded?.Invoke(ended);
        }
    }

    /// <summary>
    /// Editors and <c>htpasswd</c> write in several steps: reads the text until two consecutive reads, <paramref name="wait"/>
    /// apart, agree. Null when it is still changing after <paramref name="maxReads"/> reads. A failed read (the writer
    /// holds the file) counts as a change; the last one is thrown.
    /// </summary>
    internal static string? ReadStable(Func<string> read, Action wait, int maxReads, Action<IOException>? retrying = null)
    {
        string? previous = null;
        for (var attempt = 1; attempt <= maxReads; attempt++)
        {
            wait();
            string text;
            try
            {
                text = read();
            }
            catch (IOException e) when (attempt < maxReads)
            {
                retrying?.Invoke(e);
                previous = null;
                continue;
            }
            if (text == previous)
            {
                return text;
            }
            previous = text;
        }
        return null;
    }

    // At start an unreadable file is the operator's to fix, reported with the other configuration errors.
    private static string ReadAtStart(string file, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GatewayConfigurationException($"Gateway:Users:File '{file}' cannot be read: {e.Message}");
        }
    }

    private Snapshot Load(HtpasswdParseResult result, string source, int version = 1)
    {
        LogRefusedLines(source, result);
        if (result.Users.Count == 0)
        {
            LogNoUsers(_logger, source);
        }
        var cost = result.Users.Values.GroupBy(u => u.Cost).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault(10);
        var dummy = _current is { } previous && previous.DummyCost == cost ? previous.DummyHash : BCrypt.Net.BCrypt.HashPassword("dummy", cost);
        return new Snapshot(result.Users, dummy, cost, version);
    }

    private void LogRefusedLines(string source, HtpasswdParseResult result)
    {
        foreach (var problem in result.Problems)
        {
            LogRefusedLine(_logger, source, problem);
        }
    }

    private static string ReadDemo()
    {
        using var stream = typeof(UserStore).Assembly.GetManifestResourceStream(DemoResource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, UserEntry> Users, string DummyHash, int DummyCost, int Version);
}

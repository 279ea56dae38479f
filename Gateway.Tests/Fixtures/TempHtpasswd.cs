using Gateway.Configuration;
using Gateway.Users;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// An htpasswd file in its own temporary directory and a <see cref="UserStore"/> watching it. Hashes use bcrypt
/// cost 4 so tests stay fast. Dispose to stop the watcher and delete the directory.
/// </summary>
internal sealed class TempHtpasswd : IDisposable
{
    private TempHtpasswd(string directory, string path, GatewayOptions options)
    {
        Directory = directory;
        FilePath = path;
        Options = new TestOptionsMonitor<GatewayOptions>(options);
        Users = new UserStore(Options, new TestHostEnvironment(directory), NullLogger<UserStore>.Instance);
    }

    public string Directory { get; }

    public string FilePath { get; }

    public TestOptionsMonitor<GatewayOptions> Options { get; }

    public UserStore Users { get; }

    /// <summary>Creates the file from (user, password) pairs and loads it.</summary>
    public static TempHtpasswd Create(params (string User, string Password)[] users) => Create(new GatewayOptions(), users);

    /// <summary>Creates the file from (user, password) pairs and loads it with <paramref name="options"/>.</summary>
    public static TempHtpasswd Create(GatewayOptions options, params (string User, string Password)[] users)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gw-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "users.htpasswd");
        File.WriteAllText(path, Lines(users));
        options.Users.File = "users.htpasswd";
        return new TempHtpasswd(directory, path, options);
    }

    /// <summary>A cost-4 bcrypt hash in the <c>$2y$</c> form <c>htpasswd -B</c> writes.</summary>
    public static string Hash(string password) => "$2y$" + BCrypt.Net.BCrypt.HashPassword(password, 4)[4..];

    public static string Lines(params (string User, string Password)[] users) =>
        string.Concat(users.Select(u => $"{u.User}:{Hash(u.Password)}\n"));

    /// <summary>Replaces the file in one step (rename) and waits, at most 10 s, until the store shows <paramref name="loaded"/>.</summary>
    public async Task RewriteAsync(string text, Func<UserStore, bool> loaded)
    {
        var before = Users.Version;
        var staging = FilePath + ".tmp";
        File.WriteAllText(staging, text);
        File.Move(staging, FilePath, overwrite: true);
        if (!await Eventually.WithinAsync(() => Users.Version > before && loaded(Users), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20)))
        {
            throw new TimeoutException($"UserStore did not reload {FilePath} within 10 s (version {Users.Version}).");
        }
    }

    public void Dispose()
    {
        Users.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;
using Microsoft.Data.Sqlite;

namespace Gateway.Tests.Stores.Sqlite;

/// <summary>
/// The shipped binary on a SQLite file outside its working folder: killed with SIGKILL under login, use and logout
/// load, then started again on the same file, every session whose login was answered still works with the same
/// cookie, every answered logout stays ended, and the file passes <c>PRAGMA integrity_check</c>. A second process on
/// the same file is refused at start.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class SqliteProcessTests : IAsyncLifetime
{
    private readonly RecordingBackend _backend = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("gw-sqlite-kill-").FullName;
    private string Users => Path.Combine(_directory, "users.htpasswd");
    private string Database => Path.Combine(_directory, "gateway.db");

    private Dictionary<string, string> Environment => new()
    {
        ["Gateway__Store__Provider"] = "Sqlite",
        ["ConnectionStrings__Sqlite"] = $"Data Source={Database}",
        ["Gateway__Store__Timeout"] = "00:00:05",
        ["Gateway__Session__SecureCookie"] = "false",
    };

    public Task InitializeAsync() => File.WriteAllTextAsync(Users, GatewayHost.Htpasswd(GatewayHost.DefaultPasswords));

    public Task DisposeAsync()
    {
        _backend.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Restart_AfterSigkillUnderLoad_AnsweredLoginsAndLogoutsKeptAndFileIntact()
    {
        var live = new ConcurrentBag<string>();
        var ended = new ConcurrentBag<string>();
        var loggingOut = new ConcurrentBag<string>(); // a logout sent: its outcome is known only once answered
        var gateway = await GatewayProcess.StartAsync(_backend.Url, Users, Environment);
        var killed = false;
        try
        {
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 6).Select(_ => Task.Run(() => LoadAsync(gateway, live, ended, loggingOut, stop.Token))).ToList();
            await Eventually.HoldsAsync(() => live.Count >= 20 && ended.Count >= 5, "20 sessions and 5 logouts made by the load", TimeSpan.FromSeconds(30),
                TimeSpan.FromMilliseconds(50), () => $"{live.Count} sessions and {ended.Count} logouts:\n{gateway.Output}");
            killed = true;
            await gateway.DisposeAsync(); // Process.Kill: SIGKILL, with requests in flight
            stop.Cancel();
            await Task.WhenAll(workers);
        }
        finally
        {
            if (!killed)
            {
                await gateway.DisposeAsync();
            }
        }

        Assert.Equal("ok", Scalar("PRAGMA integrity_check"));
        await using var restarted = await GatewayProcess.StartAsync(_backend.Url, Users, Environment);
        using var client = restarted.CreateClient();
        Assert.True(live.Except(loggingOut).Count() >= 5, "too few sessions without a logout to check");
        foreach (var sid in live.Except(loggingOut))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(WithCookie(HttpMethod.Get, "/after-restart", sid))).StatusCode);
        }
        foreach (var sid in ended)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(WithCookie(HttpMethod.Get, "/after-restart", sid))).StatusCode);
        }
    }

    [Fact]
    public async Task Start_SecondProcessOnTheSameFile_RefusedWithClearMessage()
    {
        await using var first = await GatewayProcess.StartAsync(_backend.Url, Users, Environment);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayProcess.StartAsync(_backend.Url, Users, Environment));

        Assert.Contains("is in use by another gateway process", refused.Message);
        using var client = first.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    // Logs in, uses the session, and logs every third one out; a session counts once its answer has arrived.
    private static async Task LoadAsync(GatewayProcess gateway, ConcurrentBag<string> live, ConcurrentBag<string> ended,
        ConcurrentBag<string> loggingOut, CancellationToken stop)
    {
        using var client = gateway.CreateClient();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                var login = await client.PostAsync("/auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["username"] = "alice", ["password"] = GatewayHost.DefaultPasswords["alice"], ["returnUrl"] = "/",
                }), stop);
                var sid = login.Headers.TryGetValues("Set-Cookie", out var cookies)
                    ? cookies.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith("sid=", StringComparison.Ordinal))?[4..]
                    : null;
                if (login.StatusCode != HttpStatusCode.SeeOther || string.IsNullOrEmpty(sid))
                {
                    continue;
                }
                live.Add(sid);
                await client.SendAsync(WithCookie(HttpMethod.Get, "/during", sid), stop);
                if (i % 3 != 0)
                {
                    continue;
                }
                // Sent but unanswered when the process dies, a logout may or may not have committed: neither kept nor
                // ended is then asserted of that session.
                loggingOut.Add(sid);
                if ((await client.SendAsync(WithCookie(HttpMethod.Post, "/auth/logout", sid), stop)).StatusCode == HttpStatusCode.NoContent)
                {
                    ended.Add(sid);
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                // The process was killed mid-request: that request's outcome is unknown, so it is not counted.
            }
        }
    }

    private static HttpRequestMessage WithCookie(HttpMethod method, string path, string sid)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", "sid=" + sid);
        return request;
    }

    private string Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}

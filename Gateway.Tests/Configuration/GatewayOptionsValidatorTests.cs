using Gateway.Configuration;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Configuration;

public sealed class GatewayOptionsValidatorTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gw-tests-" + Guid.NewGuid().ToString("N"));

    public GatewayOptionsValidatorTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private GatewayOptionsValidator Validator => new(new TestHostEnvironment(_root));

    private static readonly Dictionary<string, Action<GatewayOptions>> BadValues = new()
    {
        ["cookie empty"] = o => o.Session.CookieName = "",
        ["cookie space"] = o => o.Session.CookieName = "s id",
        ["cookie semicolon"] = o => o.Session.CookieName = "sid;",
        ["cookie equals"] = o => o.Session.CookieName = "sid=x",
        ["cookie non-ascii"] = o => o.Session.CookieName = "sïd",
        ["host prefix insecure"] = o => { o.Session.CookieName = "__Host-sid"; o.Session.SecureCookie = false; },
        ["secure prefix insecure"] = o => { o.Session.CookieName = "__Secure-sid"; o.Session.SecureCookie = false; },
        // Browsers match the prefixes in any case: __host-sid is held to __Host-'s rules.
        ["host prefix lower case insecure"] = o => { o.Session.CookieName = "__host-sid"; o.Session.SecureCookie = false; },
        ["secure prefix upper case insecure"] = o => { o.Session.CookieName = "__SECURE-sid"; o.Session.SecureCookie = false; },
        ["idle zero"] = o => o.Session.IdleTimeout = TimeSpan.Zero,
        ["idle negative"] = o => o.Session.IdleTimeout = TimeSpan.FromMinutes(-1),
        ["absolute zero"] = o => o.Session.AbsoluteTimeout = TimeSpan.Zero,
        ["absolute negative"] = o => o.Session.AbsoluteTimeout = TimeSpan.FromHours(-1),
        ["touch zero"] = o => o.Session.TouchInterval = TimeSpan.Zero,
        ["login queue timeout zero"] = o => o.Login.QueueTimeout = TimeSpan.Zero,
        ["login queue timeout negative"] = o => o.Login.QueueTimeout = TimeSpan.FromSeconds(-1),
        ["login queue timeout over a minute"] = o => o.Login.QueueTimeout = TimeSpan.FromMinutes(2),
        ["idle over absolute"] = o => { o.Session.IdleTimeout = TimeSpan.FromHours(13); o.Session.AbsoluteTimeout = TimeSpan.FromHours(12); },
        ["max per user negative"] = o => o.Session.MaxPerUser = -1,
        ["renewal zero"] = o => o.Session.RenewalInterval = TimeSpan.Zero,
        ["user header empty"] = o => o.Headers.User = "",
        ["user header space"] = o => o.Headers.User = "X Auth User",
        ["roles header colon"] = o => o.Headers.Roles = "X-Auth-Roles:",
        ["session header newline"] = o => o.Headers.Session = "X-Auth\nSession",
        ["user header is Cookie"] = o => o.Headers.User = "Cookie",
        ["roles header is Authorization"] = o => o.Headers.Roles = "authorization",
        ["session header is Host"] = o => o.Headers.Session = "HOST",
        ["headers equal"] = o => o.Headers.Roles = "X-Auth-User",
        ["headers equal after normalising"] = o => o.Headers.Session = "x_auth.user",
        ["prefix relative"] = o => o.Endpoints.Prefix = "auth",
        ["prefix trailing slash"] = o => o.Endpoints.Prefix = "/auth/",
        ["prefix root"] = o => o.Endpoints.Prefix = "/",
        ["prefix empty"] = o => o.Endpoints.Prefix = "",
        ["prefix template"] = o => o.Endpoints.Prefix = "/{auth}",
        ["prefix catch-all"] = o => o.Endpoints.Prefix = "/auth*",
        ["store timeout too short"] = o => o.Store.Timeout = TimeSpan.FromMilliseconds(9),
        ["store timeout too long"] = o => o.Store.Timeout = TimeSpan.FromSeconds(31),
        ["store timeout zero"] = o => o.Store.Timeout = TimeSpan.Zero,
        ["key prefix empty"] = o => o.Store.KeyPrefix = "",
        ["key prefix blank"] = o => o.Store.KeyPrefix = "  ",
        ["retry after zero"] = o => o.Store.RetryAfter = TimeSpan.Zero,
        ["cleanup interval zero"] = o => o.Store.CleanupInterval = TimeSpan.Zero,
        ["near cache negative"] = o => o.Store.NearCache = TimeSpan.FromSeconds(-1),
        ["near cache too long"] = o => o.Store.NearCache = TimeSpan.FromSeconds(11),
        ["near cache size zero"] = o => o.Store.NearCacheSize = 0,
        ["policy default"] = o => o.Policies["default"] = new PolicyOptions(),
        ["policy Default"] = o => o.Policies["Default"] = new PolicyOptions { Roles = ["admin"] },
        ["policy anonymous"] = o => o.Policies["anonymous"] = new PolicyOptions(),
        ["policy empty role"] = o => o.Policies["admins"] = new PolicyOptions { Roles = ["admin", " "] },
        ["users file missing"] = o => o.Users.File = "missing.htpasswd",
        ["users file missing absolute"] = o => o.Users.File = "/nonexistent/dir/users.htpasswd",
        ["demo not loopback"] = o => o.Demo.Upstream = "http://example.com:5000",
        ["demo private address"] = o => o.Demo.Upstream = "http://10.0.0.1:5000",
        ["demo https"] = o => o.Demo.Upstream = "https://127.0.0.1:5001",
        ["demo not a url"] = o => o.Demo.Upstream = "localhost:5000",
        ["demo loopback-looking host"] = o => o.Demo.Upstream = "http://localhost.evil.com:5000",
        ["realm non-ascii"] = o => o.Login.Realm = "Zürich",
        ["realm quote"] = o => o.Login.Realm = "Gate\"way",
        ["realm backslash"] = o => o.Login.Realm = "Gate\\way",
        ["realm newline"] = o => o.Login.Realm = "Gate\r\nway",
        ["realm empty"] = o => o.Login.Realm = "",
        ["role comma"] = o => o.Users.Roles["alice"] = ["user,admin"],
        ["role non-ascii"] = o => o.Users.Roles["alice"] = ["user", "prüfer"],
        ["role control"] = o => o.Users.Roles["alice"] = ["ad\tmin"],
        ["role empty"] = o => o.Users.Roles["alice"] = [""],
        ["role edge space"] = o => o.Users.Roles["alice"] = ["admin "],
    };

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = Validator.Validate(null, new GatewayOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_GoodNonDefaultValues_Succeeds()
    {
        File.WriteAllText(Path.Combine(_root, "users.htpasswd"), "");
        var options = new GatewayOptions
        {
            Session = { CookieName = "__Host-sid", SecureCookie = true, IdleTimeout = TimeSpan.FromHours(1), AbsoluteTimeout = TimeSpan.FromHours(1), MaxPerUser = 3, RenewalInterval = TimeSpan.FromMinutes(5) },
            Headers = { User = "Remote-User", Roles = "Remote-Groups", Session = "Remote-Session" },
            Endpoints = { Prefix = "/_gateway/auth" },
            Store = { Timeout = TimeSpan.FromMilliseconds(10), KeyPrefix = "x" },
            Users = { File = "users.htpasswd" },
            Demo = { Upstream = "http://127.0.0.1:5099" },
            Login = { Realm = "Acme intranet (staff only)" },
        };
        options.Users.Roles["alice"] = ["user", "billing-admins", "Domain Users", "team:ops/eu"];
        options.Policies["admins"] = new PolicyOptions { Roles = ["admin"] };

        var result = Validator.Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("http://localhost:5099")]
    [InlineData("http://127.0.0.1:5099/")]
    [InlineData("http://[::1]:5099")]
    public void Validate_LoopbackDemoUpstream_Succeeds(string url)
    {
        var result = Validator.Validate(null, new GatewayOptions { Demo = { Upstream = url } });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("cookie empty", "Gateway:Session:CookieName")]
    [InlineData("cookie space", "Gateway:Session:CookieName")]
    [InlineData("cookie semicolon", "Gateway:Session:CookieName")]
    [InlineData("cookie equals", "Gateway:Session:CookieName")]
    [InlineData("cookie non-ascii", "Gateway:Session:CookieName")]
    [InlineData("host prefix insecure", "Gateway:Session:SecureCookie")]
    [InlineData("secure prefix insecure", "Gateway:Session:SecureCookie")]
    [InlineData("host prefix lower case insecure", "Gateway:Session:SecureCookie")]
    [InlineData("secure prefix upper case insecure", "Gateway:Session:SecureCookie")]
    [InlineData("idle zero", "Gateway:Session:IdleTimeout")]
    [InlineData("idle negative", "Gateway:Session:IdleTimeout")]
    [InlineData("absolute zero", "Gateway:Session:AbsoluteTimeout")]
    [InlineData("absolute negative", "Gateway:Session:AbsoluteTimeout")]
    [InlineData("touch zero", "Gateway:Session:TouchInterval")]
    [InlineData("login queue timeout zero", "Gateway:Login:QueueTimeout")]
    [InlineData("login queue timeout negative", "Gateway:Login:QueueTimeout")]
    [InlineData("login queue timeout over a minute", "Gateway:Login:QueueTimeout")]
    [InlineData("idle over absolute", "Gateway:Session:IdleTimeout")]
    [InlineData("max per user negative", "Gateway:Session:MaxPerUser")]
    [InlineData("renewal zero", "Gateway:Session:RenewalInterval")]
    [InlineData("user header empty", "Gateway:Headers:User")]
    [InlineData("user header space", "Gateway:Headers:User")]
    [InlineData("roles header colon", "Gateway:Headers:Roles")]
    [InlineData("session header newline", "Gateway:Headers:Session")]
    [InlineData("user header is Cookie", "Gateway:Headers:User")]
    [InlineData("roles header is Authorization", "Gateway:Headers:Roles")]
    [InlineData("session header is Host", "Gateway:Headers:Session")]
    [InlineData("headers equal", "Gateway:Headers:")]
    [InlineData("headers equal after normalising", "Gateway:Headers:")]
    [InlineData("prefix relative", "Gateway:Endpoints:Prefix")]
    [InlineData("prefix trailing slash", "Gateway:Endpoints:Prefix")]
    [InlineData("prefix root", "Gateway:Endpoints:Prefix")]
    [InlineData("prefix empty", "Gateway:Endpoints:Prefix")]
    [InlineData("prefix template", "Gateway:Endpoints:Prefix")]
    [InlineData("prefix catch-all", "Gateway:Endpoints:Prefix")]
    [InlineData("store timeout too short", "Gateway:Store:Timeout")]
    [InlineData("store timeout too long", "Gateway:Store:Timeout")]
    [InlineData("store timeout zero", "Gateway:Store:Timeout")]
    [InlineData("key prefix empty", "Gateway:Store:KeyPrefix")]
    [InlineData("key prefix blank", "Gateway:Store:KeyPrefix")]
    [InlineData("retry after zero", "Gateway:Store:RetryAfter")]
    [InlineData("cleanup interval zero", "Gateway:Store:CleanupInterval")]
    [InlineData("near cache negative", "Gateway:Store:NearCache")]
    [InlineData("near cache too long", "Gateway:Store:NearCache")]
    [InlineData("near cache size zero", "Gateway:Store:NearCacheSize")]
    [InlineData("policy default", "Gateway:Policies:default")]
    [InlineData("policy Default", "Gateway:Policies:Default")]
    [InlineData("policy anonymous", "Gateway:Policies:anonymous")]
    [InlineData("policy empty role", "Gateway:Policies:admins:Roles")]
    [InlineData("users file missing", "Gateway:Users:File")]
    [InlineData("users file missing absolute", "Gateway:Users:File")]
    [InlineData("demo not loopback", "Gateway:Demo:Upstream")]
    [InlineData("demo private address", "Gateway:Demo:Upstream")]
    [InlineData("demo https", "Gateway:Demo:Upstream")]
    [InlineData("demo not a url", "Gateway:Demo:Upstream")]
    [InlineData("demo loopback-looking host", "Gateway:Demo:Upstream")]
    [InlineData("realm non-ascii", "Gateway:Login:Realm")]
    [InlineData("realm quote", "Gateway:Login:Realm")]
    [InlineData("realm backslash", "Gateway:Login:Realm")]
    [InlineData("realm newline", "Gateway:Login:Realm")]
    [InlineData("realm empty", "Gateway:Login:Realm")]
    [InlineData("role comma", "Gateway:Users:Roles:alice:0")]
    [InlineData("role non-ascii", "Gateway:Users:Roles:alice:1")]
    [InlineData("role control", "Gateway:Users:Roles:alice:0")]
    [InlineData("role empty", "Gateway:Users:Roles:alice:0")]
    [InlineData("role edge space", "Gateway:Users:Roles:alice:0")]
    public void Validate_BadValue_FailsNamingTheKey(string badValue, string key)
    {
        var options = new GatewayOptions();
        BadValues[badValue](options);

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EveryCaseOfTheTable_IsCoveredByTheTheory()
    {
        // Guards against a bad value added to the dictionary but never asserted.
        var theory = typeof(GatewayOptionsValidatorTests).GetMethod(nameof(Validate_BadValue_FailsNamingTheKey))!;
        var covered = theory.GetCustomAttributes(typeof(InlineDataAttribute), false)
            .Cast<InlineDataAttribute>().Select(a => (string)a.GetData(theory).Single()[0]);

        Assert.Equal(BadValues.Keys.Order(), covered.Order());
    }

    [Fact]
    public void Validate_SeveralBadValues_ReportsAllInOneResult()
    {
        var options = new GatewayOptions();
        foreach (var bad in new[] { "cookie space", "idle zero", "max per user negative", "headers equal", "prefix relative", "store timeout too long", "key prefix empty", "policy default", "users file missing", "demo not loopback" })
        {
            BadValues[bad](options);
        }

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        foreach (var key in new[] { "Gateway:Session:CookieName", "Gateway:Session:IdleTimeout", "Gateway:Session:MaxPerUser", "Gateway:Headers:", "Gateway:Endpoints:Prefix", "Gateway:Store:Timeout", "Gateway:Store:KeyPrefix", "Gateway:Policies:default", "Gateway:Users:File", "Gateway:Demo:Upstream" })
        {
            Assert.Contains(result.Failures!, f => f.Contains(key, StringComparison.Ordinal));
        }
        Assert.True(result.Failures!.Count() >= 10);
    }

    [Fact]
    public void Validate_UsersFileRelativeToContentRoot_Succeeds()
    {
        Directory.CreateDirectory(Path.Combine(_root, "conf"));
        File.WriteAllText(Path.Combine(_root, "conf", "users.htpasswd"), "");

        var result = Validator.Validate(null, new GatewayOptions { Users = { File = "conf/users.htpasswd" } });

        Assert.True(result.Succeeded, result.FailureMessage);
    }
}

using Microsoft.Extensions.Options;

namespace Gateway.Configuration;

/// <summary>Checks the whole <c>Gateway</c> section and reports every error at once, each with its key.</summary>
internal sealed class GatewayOptionsValidator(IHostEnvironment environment) : IValidateOptions<GatewayOptions>
{
    private static readonly string[] ReservedPolicies = ["default", "anonymous"];

    // Headers the gateway strips from every request would otherwise wipe out these (or forge them).
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.Ordinal)
    {
        "host", "cookie", "authorization", "proxy-authorization", "connection", "upgrade", "te", "trailer",
        "transfer-encoding", "content-length", "content-type", "content-encoding", "keep-alive", "expect",
        "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-prefix",
        "x-session-token", "traceparent", "tracestate",
    };

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>(GatewayOptionsBinder.ErrorsOf(options));
        ValidateSession(options.Session, errors);
        ValidateHeaders(options.Headers, errors);
        ValidateStore(options.Store, errors);
        ValidateRoles(options.Users, options.Headers.Roles, errors);

        // The realm is a quoted-string in WWW-Authenticate: Kestrel refuses non-ASCII header values (every 401 would
        // become a 500) and a quote or backslash would end or escape it.
        var realm = options.Login.Realm;
        if (realm.Length is 0 or > 200 || !realm.All(c => c is >= ' ' and <= '~' and not '"' and not '\\'))
        {
            errors.Add($"Gateway:Login:Realm must be 1 to 200 printable ASCII characters without '\"' or '\\' (got '{realm}').");
        }

        var prefix = options.Endpoints.Prefix;
        if (prefix.Length < 2 || prefix[0] != '/' || prefix.EndsWith('/') || prefix.AsSpan().IndexOfAny("{}*?#") >= 0)
        {
            errors.Add($"Gateway:Endpoints:Prefix must be a literal path such as '/auth' (got '{prefix}').");
        }

        foreach (var (policy, value) in options.Policies)
        {
            if (ReservedPolicies.Contains(policy, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"Gateway:Policies:{policy} uses a name YARP reserves ('default', 'anonymous').");
            }
            if (value.Roles.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"Gateway:Policies:{policy}:Roles contains an empty role.");
            }
        }

        // Past a minute a waiting login helps nobody (the client has given up), and a timer cannot take every TimeSpan.
        if (options.Login.QueueTimeout <= TimeSpan.Zero || options.Login.QueueTimeout > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Gateway:Login:QueueTimeout must be more than 00:00:00 and at most 00:01:00 (got {options.Login.QueueTimeout}).");
        }
        Positive("Gateway:RememberMe:Lifetime", options.RememberMe.Lifetime, errors);
        if (string.IsNullOrWhiteSpace(options.Admin.Role))
        {
            errors.Add("Gateway:Admin:Role must not be empty.");
        }
        if (options.Audit.MaxEntries < 1)
        {
            errors.Add("Gateway:Audit:MaxEntries must be positive.");
        }
        if (options.Audit.MaxSecurityEntries < 1)
        {
            errors.Add("Gateway:Audit:MaxSecurityEntries must be positive.");
        }

        if (options.Users.File.Length > 0 && !File.Exists(ConfigDirectory.Resolve(environment, options.Users.File)))
        {
            errors.Add($"Gateway:Users:File '{options.Users.File}' does not exist.");
        }

        if (options.Demo.Upstream.Length > 0 && !IsLoopbackHttp(options.Demo.Upstream))
        {
            errors.Add($"Gateway:Demo:Upstream must be an http URL on a loopback address (got '{options.Demo.Upstream}').");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateSession(SessionOptions session, List<string> errors)
    {
        var cookie = session.CookieName;
        if (cookie.Length == 0 || !cookie.All(HttpToken.IsTokenChar))
        {
            errors.Add($"Gateway:Session:CookieName '{cookie}' is not a valid cookie name.");
        }
        // Browsers match the prefixes in any case (RFC 6265bis): __host-sid is held to the same rules.
        else if ((cookie.StartsWith("__Host-", StringComparison.OrdinalIgnoreCase) || cookie.StartsWith("__Secure-", StringComparison.OrdinalIgnoreCase)) && !session.SecureCookie)
        {
            errors.Add($"Gateway:Session:CookieName '{cookie}' needs Gateway:Session:SecureCookie=true (browsers drop prefixed cookies without Secure).");
        }

        Positive("Gateway:Session:IdleTimeout", session.IdleTimeout, errors);
        Positive("Gateway:Session:AbsoluteTimeout", session.AbsoluteTimeout, errors);
        Positive("Gateway:Session:TouchInterval", session.TouchInterval, errors);
        if (session.IdleTimeout > session.AbsoluteTimeout)
        {
            errors.Add("Gateway:Session:IdleTimeout must not exceed Gateway:Session:AbsoluteTimeout.");
        }
        if (session.MaxPerUser < 0)
        {
            errors.Add("Gateway:Session:MaxPerUser must be 0 (off) or positive.");
        }
        Positive("Gateway:Session:RotationGrace", session.RotationGrace, errors);
        if (session.RenewalInterval is { } renewal)
        {
            Positive("Gateway:Session:RenewalInterval", renewal, errors);
        }
    }

    private static void ValidateHeaders(HeaderOptions headers, List<string> errors)
    {
        (string Key, string Value)[] names = [("User", headers.User), ("Roles", headers.Roles), ("Session", headers.Session), ("Assertion", headers.Assertion)];
        foreach (var (key, value) in names)
        {
            if (value.Length == 0 || !value.All(HttpToken.IsTokenChar))
            {
                errors.Add($"Gateway:Headers:{key} '{value}' is not a valid header name.");
            }
            else if (ReservedHeaders.Contains(HeaderNames.Normalize(value)))
            {
                errors.Add($"Gateway:Headers:{key} '{value}' names a standard header the gateway or HTTP relies on; pick a name of its own.");
            }
        }
        if (names.Select(n => HeaderNames.Normalize(n.Value)).Distinct().Count() != names.Length)
        {
            errors.Add("Gateway:Headers:User, Roles, Session and Assertion must be distinct (also ignoring case, '_' and '.').");
        }
    }

    // Roles travel comma-joined in one header: a ',' would split a role in two, and a non-ASCII or control character
    // makes the forwarded request fail. Edge spaces would be trimmed by backends that split the list.
    private static void ValidateRoles(UsersOptions users, string header, List<string> errors)
    {
        foreach (var (user, roles) in users.Roles)
        {
            for (var i = 0; i < roles.Length; i++)
            {
                var role = roles[i] ?? "";
                if (role.Length is 0 or > 256 || role[0] == ' ' || role[^1] == ' ' || !role.All(c => c is >= ' ' and <= '~' and not ','))
                {
                    errors.Add($"Gateway:Users:Roles:{user}:{i} '{role}' must be 1 to 256 printable ASCII characters without ',' or surrounding spaces (roles are sent comma-separated in {header}).");
                }
            }
        }
    }

    private static void ValidateStore(StoreOptions store, List<string> errors)
    {
        if (store.Timeout < TimeSpan.FromMilliseconds(10) || store.Timeout > TimeSpan.FromSeconds(30))
        {
            errors.Add($"Gateway:Store:Timeout must be between 00:00:00.010 and 00:00:30 (got {store.Timeout}).");
        }
        if (string.IsNullOrWhiteSpace(store.KeyPrefix))
        {
            errors.Add("Gateway:Store:KeyPrefix must not be empty.");
        }
        Positive("Gateway:Store:RetryAfter", store.RetryAfter, errors);
        Positive("Gateway:Store:CleanupInterval", store.CleanupInterval, errors);
        if (store.NearCache is { } near && (near < TimeSpan.Zero || near > TimeSpan.FromSeconds(10)))
        {
            errors.Add($"Gateway:Store:NearCache must be between 00:00:00 (off) and 00:00:10 (got {store.NearCache}).");
        }
        if (store.NearCacheSize < 1)
        {
            errors.Add($"Gateway:Store:NearCacheSize must be at least 1 (got {store.NearCacheSize}).");
        }
    }

    private static void Positive(string key, TimeSpan value, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be positive (got {value}).");
        }
    }

    private static bool IsLoopbackHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;
}

using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Security;

/// <summary>
/// Checks the security keys of the <c>Gateway</c> section (login throttling, trusted proxies, CSRF origins,
/// request limits, guessing detection, admin role), reporting every error at once with its key. Runs beside
/// <see cref="GatewayOptionsValidator"/>; the options system reports both validators' errors together.
/// </summary>
internal sealed class SecurityOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        var login = options.Login;
        NotNegative("Gateway:Login:MaxFailures", login.MaxFailures, errors);
        NotNegative("Gateway:Login:MaxFailuresPerIp", login.MaxFailuresPerIp, errors);
        Positive("Gateway:Login:FailureWindow", login.FailureWindow, errors);
        Positive("Gateway:Login:BanTime", login.BanTime, errors);
        if (!Enum.IsDefined(login.LockoutScope))
        {
            errors.Add($"Gateway:Login:LockoutScope must be UserAndIp or User (got '{login.LockoutScope}').");
        }

        for (var i = 0; i < options.TrustedProxies.Length; i++)
        {
            if (!TrustedProxies.TryParse(options.TrustedProxies[i], out _))
            {
                errors.Add($"Gateway:TrustedProxies:{i} '{options.TrustedProxies[i]}' is not an IP address or CIDR range (10.0.0.0/8).");
            }
        }

        for (var i = 0; i < options.Csrf.AllowedOrigins.Length; i++)
        {
            if (!OriginRule.TryNormalize(options.Csrf.AllowedOrigins[i], out _))
            {
                errors.Add($"Gateway:Csrf:AllowedOrigins:{i} '{options.Csrf.AllowedOrigins[i]}' is not an origin such as 'https://app.example.com' (scheme, host, optional port, no path).");
            }
        }

        var limits = options.Limits;
        Range("Gateway:Limits:MaxHeaderCount", limits.MaxHeaderCount, 16, 1000, errors);
        Range("Gateway:Limits:MaxHeaderBytes", limits.MaxHeaderBytes, 4096, 1024 * 1024, errors);
        Range("Gateway:Limits:MaxCookies", limits.MaxCookies, 1, 1000, errors);
        Range("Gateway:Limits:MaxBodyBytes", limits.MaxBodyBytes, 1024, 1024 * 1024, errors);

        NotNegative("Gateway:Guessing:MaxUnknownIds", options.Guessing.MaxUnknownIds, errors);
        Positive("Gateway:Guessing:Window", options.Guessing.Window, errors);
        Positive("Gateway:Guessing:BanTime", options.Guessing.BanTime, errors);

        if (string.IsNullOrWhiteSpace(options.Admin.Role))
        {
            errors.Add("Gateway:Admin:Role must not be empty.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void NotNegative(string key, int value, List<string> errors)
    {
        if (value < 0)
        {
            errors.Add($"{key} must be 0 (off) or positive (got {value}).");
        }
    }

    private static void Range(string key, int value, int min, int max, List<string> errors)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} must be between {min} and {max} (got {value}).");
        }
    }

    private static void Positive(string key, TimeSpan value, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be positive (got {value}).");
        }
    }
}

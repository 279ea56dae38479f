namespace Gateway.Configuration;

/// <summary>
/// Which configuration values are secrets, so an error message shows <c>***</c> instead of them: every connection
/// string (they carry passwords), and keys whose last part names a password, secret or token, or ends in <c>Key</c>
/// (<c>ApiKey</c>). <c>KeyPrefix</c> and <c>KeyFile</c> are not secrets: a path must stay readable to be fixed.
/// </summary>
internal static class SecretKeys
{
    public const string Mask = "***";

    public static bool IsSecret(string key)
    {
        if (key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var last = key[(key.LastIndexOf(':') + 1)..];
        return last.Contains("Password", StringComparison.OrdinalIgnoreCase)
            || last.Contains("Secret", StringComparison.OrdinalIgnoreCase)
            || last.Contains("Token", StringComparison.OrdinalIgnoreCase)
            || last.EndsWith("Key", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The value as an error message may show it.</summary>
    public static string Display(string key, string value) => IsSecret(key) ? Mask : value;

    /// <summary><paramref name="message"/> with every secret value of <paramref name="configuration"/> replaced by <see cref="Mask"/>.</summary>
    public static string MaskIn(string message, IConfiguration? configuration)
    {
        if (configuration is null)
        {
            return message;
        }
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (!string.IsNullOrEmpty(value) && IsSecret(key) && message.Contains(value, StringComparison.Ordinal))
            {
                message = message.Replace(value, Mask, StringComparison.Ordinal);
            }
        }
        return message;
    }
}

namespace Gateway.Cli;

/// <summary>
/// <c>--Section:Key=value</c> arguments: configuration for the commands that read the gateway's configuration, as
/// ASP.NET's command-line provider reads them. Only this exact form is taken (a ':' in the name, an '='), so a
/// mistyped option such as <c>--pasword x</c> stays an unknown argument and a usage error.
/// </summary>
internal static class ConfigurationOverrides
{
    public static bool IsOverride(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal))
        {
            return false;
        }
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        var colon = arg.IndexOf(':', StringComparison.Ordinal);
        return equals > 2 && colon > 2 && colon < equals;
    }
}

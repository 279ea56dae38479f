namespace Gateway.Proxy;

/// <summary>Rewrites of a backend's <c>Cache-Control</c> and <c>Vary</c> for <see cref="SharedCacheTransformProvider"/>.</summary>
internal static class CacheControl
{
    /// <summary>
    /// <paramref name="value"/> without <c>public</c> and <c>s-maxage</c> (directives only shared caches obey), with
    /// <c>private</c> unless it is there or <c>no-store</c> already forbids storing; the other directives are kept.
    /// </summary>
    public static string Private(string value)
    {
        var kept = Directives(value).Where(d => !IsNamed(d, "public") && !IsNamed(d, "s-maxage")).ToList();
        if (!kept.Any(d => IsNamed(d, "private") || IsNamed(d, "no-store")))
        {
            kept.Insert(0, "private");
        }
        return string.Join(", ", kept);
    }

    /// <summary><paramref name="vary"/> with <c>Cookie</c> added, unless it names it or <c>*</c> already.</summary>
    public static string WithVaryCookie(string vary)
    {
        var names = vary.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return names.Any(n => n == "*" || n.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            ? vary
            : string.Join(", ", names.Append("Cookie"));
    }

    // Directives split at commas outside quoted strings (private="Set-Cookie, X" is one directive).
    private static IEnumerable<string> Directives(string value)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i < value.Length && value[i] == '"')
            {
                quoted = !quoted;
            }
            else if (i == value.Length || (value[i] == ',' && !quoted))
            {
                var directive = value[start..i].Trim();
                if (directive.Length > 0)
                {
                    yield return directive;
                }
                start = i + 1;
            }
        }
    }

    private static bool IsNamed(string directive, string name) =>
        directive.StartsWith(name, StringComparison.OrdinalIgnoreCase) &&
        (directive.Length == name.Length || directive[name.Length] is '=' or ' ' or '\t');
}

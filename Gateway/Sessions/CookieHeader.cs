using Microsoft.Extensions.Primitives;

namespace Gateway.Sessions;

/// <summary>
/// Reads and filters raw <c>Cookie</c> headers (RFC 6265 <c>name=value; name=value</c>), across every header
/// line. Used both to find the session cookie (counting duplicates, which ASP.NET's parser hides) and to strip
/// it before proxying, so both sides agree on what a cookie pair is.
/// </summary>
internal static class CookieHeader
{
    /// <summary>How many pairs are named exactly <paramref name="name"/>, and the first one's value.</summary>
    public static (int Count, string? Value) Find(StringValues headers, string name)
    {
        var count = 0;
        string? value = null;
        foreach (var header in headers)
        {
            foreach (var (pairName, pairValue) in Pairs(header))
            {
                if (pairName.Equals(name, StringComparison.Ordinal))
                {
                    count++;
                    value ??= pairValue;
                }
            }
        }
        return (count, value);
    }

    /// <summary>The header without the pairs <paramref name="drop"/> selects; null when nothing is left.</summary>
    public static string? Remove(string header, Func<string, bool> drop)
    {
        var kept = new List<string>();
        var removed = false;
        foreach (var segment in header.Split(';'))
        {
            var pair = segment.Trim();
            if (pair.Length == 0)
            {
                continue;
            }
            var eq = pair.IndexOf('=');
            if (drop(eq < 0 ? pair : pair[..eq].TrimEnd()))
            {
                removed = true;
                continue;
            }
            kept.Add(pair);
        }
        return !removed ? header : kept.Count == 0 ? null : string.Join("; ", kept);
    }

    private static IEnumerable<(string Name, string Value)> Pairs(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            yield break;
        }
        foreach (var segment in header.Split(';'))
        {
            var pair = segment.Trim();
            var eq = pair.IndexOf('=');
            if (eq > 0)
            {
                yield return (pair[..eq].TrimEnd(), pair[(eq + 1)..].TrimStart().Trim('"'));
            }
            else if (pair.Length > 0)
            {
                yield return (pair, "");
            }
        }
    }
}

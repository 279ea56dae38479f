using System.Text;
using System.Text.RegularExpressions;
using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Endpoints;

/// <summary>
/// The login page's markup: the built-in one, or <c>Gateway:Login:TemplateFile</c>, read once at start. A
/// template is HTML with placeholders; the gateway always renders the form itself (labels, password-manager
/// hints, remember-me), so a template can change the look but not weaken the form. Scripts and inline styles
/// are refused at start: the page's Content-Security-Policy would block them anyway.
/// </summary>
internal sealed partial class LoginTemplate
{
    public const int MaxBytes = 64 * 1024;

    public static readonly string[] Placeholders = ["title", "logo", "error", "form", "stylesheet", "prefix"];

    private const string BuiltIn = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{{title}}</title>
        <link rel="stylesheet" href="{{stylesheet}}">
        </head>
        <body>
        <main class="card">
        {{logo}}<h1>{{title}}</h1>
        {{error}}{{form}}
        </main>
        </body>
        </html>
        """;

    private readonly string[] _parts;

    public LoginTemplate(IOptions<GatewayOptions> options, IHostEnvironment environment)
    {
        var file = options.Value.Login.TemplateFile;
        var text = BuiltIn;
        if (file.Length > 0)
        {
            var (content, errors) = Read(ConfigDirectory.Resolve(environment, file));
            text = errors.Count == 0 ? content! : throw new InvalidOperationException(string.Join(" ", errors));
            Source = file;
        }
        _parts = PlaceholderPattern().Split(text);
    }

    /// <summary>"built-in" or the template file's configured path.</summary>
    public string Source { get; } = "built-in";

    /// <summary>The page with each placeholder replaced by its (already encoded) value.</summary>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        var page = new StringBuilder(4096);
        for (var i = 0; i < _parts.Length; i++)
        {
            // Split with one capture group alternates literal text (even) and placeholder names (odd).
            page.Append(i % 2 == 0 ? _parts[i] : values[_parts[i]]);
        }
        return page.ToString();
    }

    /// <summary>Reads and checks a template file: the text, or every problem found (each naming the key).</summary>
    public static (string? Text, List<string> Errors) Read(string path)
    {
        const string Key = "Gateway:Login:TemplateFile";
        var errors = new List<string>();
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            errors.Add($"{Key} '{path}' does not exist.");
            return (null, errors);
        }
        if (file.Length > MaxBytes)
        {
            errors.Add($"{Key} '{path}' is larger than {MaxBytes / 1024} KB.");
            return (null, errors);
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            errors.Add($"{Key} '{path}' cannot be read as UTF-8 text ({e.GetType().Name}).");
            return (null, errors);
        }

        var names = PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value).ToList();
        var unknown = names.Where(n => !Placeholders.Contains(n)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            errors.Add($"{Key} uses unknown placeholders {string.Join(", ", unknown.Select(n => "{{" + n + "}}"))}; known: {string.Join(", ", Placeholders.Select(n => "{{" + n + "}}"))}.");
        }
        if (names.Count(n => n == "form") != 1)
        {
            errors.Add($"{Key} must contain {{{{form}}}} exactly once (found {names.Count(n => n == "form")}).");
        }
        if (ForbiddenMarkup().Match(text) is { Success: true } forbidden)
        {
            errors.Add($"{Key} contains '{forbidden.Value.Trim()}': the login page allows no script and no inline style (CSP); link a stylesheet from this site instead.");
        }
        return (errors.Count == 0 ? text : null, errors);
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z]*)\s*\}\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"<\s*(script|style)\b|\son[a-z]+\s*=|\sstyle\s*=|javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex ForbiddenMarkup();
}

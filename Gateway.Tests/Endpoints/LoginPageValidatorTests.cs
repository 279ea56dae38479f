using Gateway.Configuration;
using Gateway.Endpoints;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Endpoints;

public sealed class LoginPageValidatorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gw-login-").FullName;

    [Theory]
    [InlineData("/static/logo.svg")]
    [InlineData("/")]
    [InlineData("https://cdn.example.com/acme/logo.png")]
    [InlineData("http://127.0.0.1:8080/logo.svg")]
    public void Validate_GoodLogoUrl_Accepted(string url) => Assert.True(Validate(new() { Login = { LogoUrl = url } }).Succeeded);

    [Theory]
    [InlineData("//evil.example/logo.png")]
    [InlineData("logo.png")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:image/png;base64,AAAA")]
    [InlineData("https://cdn.example.com/a b.png")]
    [InlineData("https://cdn.example.com/x.png; script-src *")]
    [InlineData("https://cdn.example.com/\"onerror=\"x")]
    [InlineData("https://user:pw@cdn.example.com/x.png")]
    [InlineData("ftp://cdn.example.com/x.png")]
    public void Validate_BadLogoUrl_ErrorNamesKey(string url)
    {
        var result = Validate(new() { Login = { LogoUrl = url } });
        Assert.Contains(result.Failures!, f => f.StartsWith("Gateway:Login:LogoUrl", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Sign\nin")]
    public void Validate_BadTitle_ErrorNamesKey(string title) =>
        Assert.Contains(Validate(new() { Login = { Title = title } }).Failures!, f => f.StartsWith("Gateway:Login:Title", StringComparison.Ordinal));

    [Fact]
    public void Validate_GoodTemplate_Accepted() =>
        Assert.True(Validate(Template("<html lang=\"en\"><title>{{title}}</title>{{ logo }}{{error}}{{form}}<a href=\"{{prefix}}/sessions\">x</a></html>")).Succeeded);

    [Theory]
    [InlineData("<html>{{title}}</html>", "{{form}} exactly once")]
    [InlineData("<html>{{form}}{{form}}</html>", "{{form}} exactly once")]
    [InlineData("<html>{{form}}{{user}}</html>", "unknown placeholders {{user}}")]
    [InlineData("<html>{{form}}<script>alert(1)</script></html>", "no script")]
    [InlineData("<html>{{form}}<style>p{}</style></html>", "no script")]
    [InlineData("<html>{{form}}<p style=\"color:red\">x</p></html>", "no script")]
    [InlineData("<html>{{form}}<img src=x onerror=\"x()\"></html>", "no script")]
    public void Validate_BadTemplate_ErrorNamesKeyAndCause(string text, string cause)
    {
        var failures = Validate(Template(text)).Failures!;
        Assert.Contains(failures, f => f.StartsWith("Gateway:Login:TemplateFile", StringComparison.Ordinal) && f.Contains(cause));
    }

    [Fact]
    public void Validate_MissingTemplateAndBadLogo_BothReported()
    {
        var failures = Validate(new() { Login = { TemplateFile = "missing.html", LogoUrl = "//x" } }).Failures!.ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.Contains("does not exist"));
    }

    [Fact]
    public void Validate_TemplateNotUtf8OrTooLarge_Refused()
    {
        File.WriteAllBytes(Path.Combine(_directory, "latin1.html"), [0x3C, 0x70, 0x3E, 0xE9, 0x7B, 0x7B, 0x66, 0x6F, 0x72, 0x6D, 0x7D, 0x7D]);
        File.WriteAllText(Path.Combine(_directory, "big.html"), "{{form}}" + new string('x', 70 * 1024));
        Assert.Contains("UTF-8", Validate(new() { Login = { TemplateFile = "latin1.html" } }).Failures!.Single());
        Assert.Contains("larger than 64 KB", Validate(new() { Login = { TemplateFile = "big.html" } }).Failures!.Single());
    }

    [Fact]
    public async Task Start_BadTemplateFile_RefusedWithEveryError()
    {
        var path = Path.Combine(_directory, "bad.html");
        File.WriteAllText(path, "<html>{{user}}<script></script></html>");
        var settings = new Dictionary<string, string?> { ["Gateway:Login:TemplateFile"] = path };

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => GatewayHost.StartAsync("http://127.0.0.1:9/", null, settings));

        Assert.Equal(3, error.Failures.Count(f => f.StartsWith("Gateway:Login:TemplateFile", StringComparison.Ordinal)));
    }

    private GatewayOptions Template(string text)
    {
        File.WriteAllText(Path.Combine(_directory, "login.html"), text);
        return new GatewayOptions { Login = { TemplateFile = "login.html" } };
    }

    private Microsoft.Extensions.Options.ValidateOptionsResult Validate(GatewayOptions options) =>
        new LoginPageValidator(new TestHostEnvironment(_directory)).Validate(null, options);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

using System.Text.Json;
using Gateway.Audit;
using Gateway.Sessions;
using Gateway.Configuration;
using Gateway.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Gateway.Tests.Telemetry;

/// <summary>
/// The console log as an operator's terminal receives it: the framework's real <see cref="ConsoleLoggerProvider"/> and
/// formatters, wrapped as the gateway wraps them, writing to a redirected <see cref="Console.Out"/>. Attacker text in
/// an audit event cannot forge a line or drive the terminal. (Console.Out is process-wide: this runs in the
/// telemetry collection, alone.)
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class ConsoleLogEscapingTests
{
    private const string Mallory = "mallory\r\u001b[2K audit created user=root\n audit created user=root\0";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SimpleConsole_HostileUserNameInAudit_NoForgedLineNoControlCharacter(bool singleLine)
    {
        var text = await CaptureAsync(logging => logging.AddSimpleConsole(o =>
        {
            o.SingleLine = singleLine;
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        }));

        Assert.DoesNotContain(text, c => char.IsControl(c) && c != '\n');
        var lines = text.Split('\n');
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("audit created", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(
            @"audit login_failed user=mallory\u000D\u001B[2K audit created user=root\u000A audit created user=root\u0000 session=-", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(@"path=/a\u000Aforged ua=" + new string('x', LogText.MaxLength) + "...[4744 more chars] end", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonConsole_HostileUserNameInAudit_MessageEscapedStructuredValueKept()
    {
        var text = await CaptureAsync(logging => logging.AddJsonConsole());

        var audit = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("EventId").GetInt32() == 1700);
        Assert.StartsWith(@"audit login_failed user=mallory\u000D\u001B[2K", audit.GetProperty("Message").GetString());
        Assert.Equal(Mallory, audit.GetProperty("State").GetProperty("User").GetString());
    }

    private static async Task<string> CaptureAsync(Action<ILoggingBuilder> console)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Information);
            console(logging);
        });
        EscapingLoggerProvider.WrapConsole(services);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new GatewayOptions()));
        services.AddSingleton<IAuditStore, InMemoryAuditStore>();
        services.AddSingleton<AuditTrail>();

        var original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            // Disposing the provider drains its queue into the writer it took from Console.Out.
            await using (var provider = services.BuildServiceProvider())
            {
                Assert.IsType<EscapingLoggerProvider>(provider.GetServices<ILoggerProvider>().Single());
                await provider.GetRequiredService<AuditTrail>().RecordAsync("login_failed", Mallory, null, "unknown_user", null, "127.0.0.1");
                provider.GetRequiredService<ILoggerFactory>().CreateLogger("Test")
                    .LogInformation("path={Path} ua={UserAgent} end", "/a\nforged", new string('x', 5000));
            }
        }
        finally
        {
            Console.SetOut(original);
        }
        return captured.ToString();
    }
}

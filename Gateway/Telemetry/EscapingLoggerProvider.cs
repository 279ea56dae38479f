using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Gateway.Telemetry;

/// <summary>
/// The console log with request text made safe (<see cref="LogText"/>): each message is rendered as usual, its long
/// string values cut, then escaped as a whole, so neither the gateway's events nor the framework's (a request path in
/// "Request starting ...") can forge a line or drive the terminal. The structured values are passed on untouched:
/// formatters that print them (json) and other providers (OpenTelemetry) keep the raw value as a field.
/// </summary>
[ProviderAlias("Console")]
internal sealed class EscapingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    /// <summary>Puts the escaping in front of the registered console provider (the one the host's defaults add).</summary>
    public static void WrapConsole(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(ILoggerProvider) && services[i].ImplementationType == typeof(ConsoleLoggerProvider))
            {
                services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(sp => new EscapingLoggerProvider(
                    new ConsoleLoggerProvider(sp.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), sp.GetServices<ConsoleFormatter>())));
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new EscapingLogger(inner.CreateLogger(categoryName));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose() => inner.Dispose();

    private sealed class EscapingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, (s, e) => Render(s, e, formatter));

        private static string Render<TState>(TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception);
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (value is string { Length: > LogText.MaxLength } s && key != "{OriginalFormat}")
                    {
                        text = text.Replace(s, LogText.Cut(s), StringComparison.Ordinal);
                    }
                }
            }
            return LogText.Escape(text, int.MaxValue);
        }
    }
}

namespace Gateway.Tests.Fixtures;

/// <summary>
/// Waits for a condition by polling it until a deadline, for tests of things that happen in the background (a reload,
/// an invalidation, a socket closed by the gateway). The deadline is generous (<see cref="DefaultWithin"/>) because the
/// machine running the tests is often loaded: a wait that passes only ever costs the time the condition took. On
/// failure the message names what was awaited and the last value observed.
/// </summary>
public static class Eventually
{
    /// <summary>How long a wait lasts unless the test says otherwise: 15 s.</summary>
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan DefaultPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds; fails naming <paramref name="what"/> otherwise, with what
    /// <paramref name="seen"/> tells of the state at the last try.
    /// </summary>
    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? within = null, TimeSpan? poll = null, Func<string>? seen = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, within, poll, seen);

    /// <inheritdoc cref="HoldsAsync(Func{bool}, string, TimeSpan?, TimeSpan?, Func{string}?)"/>
    public static Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null, TimeSpan? poll = null, Func<string>? seen = null) =>
        ValueAsync(condition, held => held, what, within, poll, seen is null ? null : _ => seen());

    /// <summary>
    /// Observes a value until <paramref name="done"/> accepts it and returns that value; fails naming
    /// <paramref name="what"/> and the last value observed (as <paramref name="describe"/> tells it) otherwise.
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> observe, Func<T, bool> done, string what, TimeSpan? within = null, TimeSpan? poll = null,
        Func<T, string>? describe = null)
    {
        var limit = within ?? DefaultWithin;
        var deadline = TimeProvider.System.GetTimestamp() + (long)(limit.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            var value = await observe();
            if (done(value))
            {
                return value;
            }
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                // A condition's last "false" tells nothing: only a value, or what the test describes, is worth showing.
                var seen = describe is not null ? describe(value) : value is bool ? null : Describe(value);
                Assert.Fail($"{what}: not within {limit.TotalSeconds:0.#} s" + (seen is null ? "" : $" (last observed: {seen})"));
            }
            await Task.Delay(poll ?? DefaultPoll);
        }
    }

    /// <summary>
    /// Whether <paramref name="condition"/> came to hold within <paramref name="within"/>, for a test that reports a
    /// failure with its own diagnostics (what a load saw, say) rather than here.
    /// </summary>
    public static async Task<bool> WithinAsync(Func<Task<bool>> condition, TimeSpan within, TimeSpan? poll = null)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(within.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!await condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                return false;
            }
            await Task.Delay(poll ?? DefaultPoll);
        }
        return true;
    }

    /// <inheritdoc cref="WithinAsync(Func{Task{bool}}, TimeSpan, TimeSpan?)"/>
    public static Task<bool> WithinAsync(Func<bool> condition, TimeSpan within, TimeSpan? poll = null) =>
        WithinAsync(() => Task.FromResult(condition()), within, poll);

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        _ => value.ToString() ?? "null",
    };
}

namespace Gateway.Sessions;

/// <summary>A listener on an <see cref="IInvalidationChannel"/>; disposing it stops the callbacks.</summary>
internal interface IInvalidationSubscription : IDisposable
{
    /// <summary>
    /// True once the channel has confirmed the subscription. While false nothing may be cached, since no message
    /// would drop it.
    /// </summary>
    bool Listening { get; }
}

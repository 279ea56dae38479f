using System.Text;

namespace Gateway.Connections;

/// <summary>
/// The client side of a proxied WebSocket (the upgraded stream YARP copies to and from), through which the gateway can
/// close it itself: a Close frame (code, short reason; server frames are unmasked) put in at a frame boundary of what
/// the backend sends, after which nothing more from the backend reaches the client and nothing more from the client
/// reaches the backend. <see cref="CloseAsync"/> then waits briefly for the client's Close in answer, so the frame is
/// on the wire before the connection is aborted.
/// </summary>
internal sealed class WebSocketCloseStream(Stream inner, TimeProvider time) : Stream
{
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocketFrameScanner _toClient;
    private WebSocketFrameScanner _fromClient;
    private byte[]? _closeFrame;
    private volatile bool _closing;
    private bool _closeWritten;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>
    /// Sends a Close frame with <paramref name="code"/> and <paramref name="reason"/> at the next frame boundary, then
    /// waits up to <paramref name="timeout"/> for the client's answer. A frame the backend never finishes means no
    /// Close is sent: the caller aborts the connection anyway.
    /// </summary>
    public async Task CloseAsync(int code, string reason, TimeSpan timeout)
    {
        var text = Encoding.UTF8.GetBytes(reason);
        var frame = new byte[4 + Math.Min(text.Length, 123)];
        frame[0] = 0x88; // FIN + Close
        frame[1] = (byte)(frame.Length - 2);
        frame[2] = (byte)(code >> 8);
        frame[3] = (byte)code;
        text.AsSpan(0, frame.Length - 4).CopyTo(frame.AsSpan(4));
        _closeFrame = frame;
        _closing = true;
        using var deadline = new CancellationTokenSource(timeout, time);
        try
        {
            await _writes.WaitAsync(deadline.Token);
            try
            {
                if (_toClient.AtBoundary)
                {
                    await WriteCloseAsync(deadline.Token);
                }
            }
            finally
            {
                _writes.Release();
            }
            await _answered.Task.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // No boundary or no answer in time: the caller aborts.
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                // A zero-byte read (YARP waits for data with one before renting a buffer) is not the end.
                if (buffer.Length > 0)
                {
                    _answered.TrySetResult();
                }
                return 0;
            }
            _fromClient.Advance(buffer.Span[..read]);
            if (!_closing)
            {
                return read;
            }
            // Closing: the session is over, so what the client still sends is dropped, not forwarded as its user.
            if (_fromClient.SawClose)
            {
                _answered.TrySetResult();
                return 0;
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            if (_closeWritten)
            {
                return;
            }
            if (!_closing)
            {
                _toClient.Advance(buffer.Span);
                await inner.WriteAsync(buffer, cancellationToken);
                return;
            }
            // A Close is due but a frame was half-written: finish that frame, then close.
            var upToBoundary = _toClient.Advance(buffer.Span, untilBoundary: true);
            await inner.WriteAsync(buffer[..upToBoundary], cancellationToken);
            if (_toClient.AtBoundary)
            {
                await WriteCloseAsync(cancellationToken);
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _answered.TrySetResult();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _answered.TrySetResult();
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private async Task WriteCloseAsync(CancellationToken cancellationToken)
    {
        _closeWritten = true;
        await inner.WriteAsync(_closeFrame, cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }
}

using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3.Model;

namespace Pipeline.Infra.Artifacts;

/// <summary>
/// Turns off aws-chunked bodies on every PutObject and UploadPart request, including ones the caller did not build
/// (TransferUtility's). Over http AWSSDK v4 otherwise frames bodies as aws-chunked, and s3rver stores the framing as
/// the object: every call succeeds and the bytes are wrong. It must run before the Marshaller, which reads the flag.
/// </summary>
internal sealed class DisableChunkEncodingHandler : PipelineHandler
{
    public override void InvokeSync(IExecutionContext executionContext)
    {
        Disable(executionContext);
        base.InvokeSync(executionContext);
    }

    public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        Disable(executionContext);
        return base.InvokeAsync<T>(executionContext);
    }

    private static void Disable(IExecutionContext context)
    {
        switch (context.RequestContext.OriginalRequest)
        {
            case PutObjectRequest put:
                put.UseChunkEncoding = false;
                break;
            case UploadPartRequest part:
                part.UseChunkEncoding = false;
                break;
        }
    }
}

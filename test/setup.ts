// Tests must never reach AWS or openrouter.ai: dummy credentials and a region keep the SDK from
// looking for real ones, and every client under test is pointed at loopback explicitly.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';

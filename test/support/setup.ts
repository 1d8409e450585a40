// Test-wide environment: no test may reach a real AWS endpoint or the instance metadata service.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.SLS_TELEMETRY_DISABLED = '1';
process.env.SLS_NOTIFICATIONS_MODE = 'off';

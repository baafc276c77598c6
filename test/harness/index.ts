// The test harness: real PostgreSQL, sshd, S3 and pgBackRest for integration and e2e tests,
// the demo and the benchmarks. Every piece runs on free ports and is stopped by PID.
export * from './ports';
export * from './processes';
export * from './output-tail';
export * from './os-user';
export * from './proc-table';
export * from './dirs';
export * from './paths';
export * from './postgres';
export * from './chinook';
export * from './tls';
export * from './ssh-client';
export * from './sshd';
export * from './s3';
export * from './radosgw';
export * from './pgbackrest';
export * from './environment';
export * from './installed-agent';
export * from './node-runtime';

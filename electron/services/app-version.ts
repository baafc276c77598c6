import pkg from '../../package.json';

/** The app's version, from package.json (inlined by the bundler), so CLI, UI and reports agree. */
export const APP_VERSION: string = pkg.version;

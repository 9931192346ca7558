// Framework's built-in module, as the page components use it.
declare module 'observablehq:stdlib' {
  export function FileAttachment(name: string): {
    readonly href: string;
    url(): Promise<string>;
    json(): Promise<any>;
    arrayBuffer(): Promise<ArrayBuffer>;
  };
}

// What the site exposes to its end-to-end tests (src/pages/components/site.js).
interface Window {
  __deqir?: unknown;
}

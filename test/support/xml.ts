/**
 * A strict, small XML 1.0 reader for tests: it accepts only well-formed
 * documents (one root, matching tags, quoted and unique attributes, known
 * entities, legal characters) and returns the element tree. No DTDs and no
 * namespaces, which the reports never write.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: { readonly [name: string]: string };
  readonly children: readonly XmlElement[];
  /** The element's own character data (entities decoded, CDATA included). */
  readonly text: string;
}

/** Thrown for any well-formedness error, with the offset where reading stopped. */
export class XmlSyntaxError extends Error {
  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'XmlSyntaxError';
  }
}

const PREDEFINED_ENTITIES: { readonly [name: string]: string } = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses a whole document and returns its root element. */
export function parseXml(source: string): XmlElement {
  return new Reader(source).document();
}

/** Every descendant element (depth first) with the given name. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement): void => {
    for (const child of node.children) {
      if (child.name === name) found.push(child);
      visit(child);
    }
  };
  visit(element);
  return found;
}

class Reader {
  private offset = 0;

  constructor(private readonly source: string) {
    for (let index = 0; index < source.length; index++) {
      if (!isXmlChar(source.charCodeAt(index))) this.fail(`character U+${source.charCodeAt(index).toString(16).padStart(4, '0')} is not allowed in XML`, index);
    }
  }

  document(): XmlElement {
    if (this.source.startsWith('<?xml')) this.processingInstruction();
    this.misc();
    if (this.source.startsWith('<!DOCTYPE', this.offset)) this.fail('DOCTYPE declarations are not supported');
    if (this.peek() !== '<') this.fail('expected the root element');
    const root = this.element();
    this.misc();
    if (this.offset !== this.source.length) this.fail('content after the root element');
    return root;
  }

  /** Whitespace, comments and processing instructions, allowed around the root. */
  private misc(): void {
    for (;;) {
      this.whitespace();
      if (this.source.startsWith('<!--', this.offset)) this.comment();
      else if (this.source.startsWith('<?', this.offset)) this.processingInstruction();
      else return;
    }
  }

  private element(): XmlElement {
    this.expect('<');
    const name = this.name();
    const attributes: { [name: string]: string } = {};
    for (;;) {
      const hadSpace = this.whitespace();
      if (this.source.startsWith('/>', this.offset)) {
        this.offset += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (this.peek() === '>') {
        this.offset++;
        break;
      }
      if (!hadSpace) this.fail(`expected whitespace before an attribute of <${name}>`);
      const attribute = this.name();
      this.whitespace();
      this.expect('=');
      this.whitespace();
      if (attribute in attributes) this.fail(`duplicate attribute "${attribute}" on <${name}>`);
      attributes[attribute] = this.attributeValue();
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (this.offset >= this.source.length) this.fail(`<${name}> is never closed`);
      if (this.source.startsWith('</', this.offset)) {
        this.offset += 2;
        const closing = this.name();
        if (closing !== name) this.fail(`</${closing}> closes <${name}>`);
        this.whitespace();
        this.expect('>');
        return { name, attributes, children, text };
      }
      if (this.source.startsWith('<!--', this.offset)) this.comment();
      else if (this.source.startsWith('<![CDATA[', this.offset)) text += this.cdata();
      else if (this.source.startsWith('<?', this.offset)) this.processingInstruction();
      else if (this.peek() === '<') children.push(this.element());
      else text += this.characterData();
    }
  }

  private attributeValue(): string {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'") this.fail('attribute values must be quoted');
    this.offset++;
    let value = '';
    for (;;) {
      const char = this.peek();
      if (char === undefined) this.fail('unterminated attribute value');
      if (char === quote) {
        this.offset++;
        return value;
      }
      if (char === '<') this.fail('"<" inside an attribute value');
      if (char === '&') value += this.reference();
      else {
        value += char;
        this.offset++;
      }
    }
  }

  private characterData(): string {
    let text = '';
    while (this.offset < this.source.length && this.peek() !== '<') {
      if (this.source.startsWith(']]>', this.offset)) this.fail('"]]>" in character data');
      if (this.peek() === '&') text += this.reference();
      else text += this.source[this.offset++];
    }
    return text;
  }

  private reference(): string {
    const end = this.source.indexOf(';', this.offset);
    if (end < 0 || end - this.offset > 12) this.fail('"&" that does not start an entity reference');
    const body = this.source.slice(this.offset + 1, end);
    let decoded: string | undefined;
    if (body.startsWith('#x')) decoded = codePoint(Number.parseInt(body.slice(2), 16), /^[0-9a-fA-F]+$/.test(body.slice(2)));
    else if (body.startsWith('#')) decoded = codePoint(Number.parseInt(body.slice(1), 10), /^[0-9]+$/.test(body.slice(1)));
    else decoded = PREDEFINED_ENTITIES[body];
    if (decoded === undefined) this.fail(`unknown or invalid entity "&${body};"`);
    this.offset = end + 1;
    return decoded as string;
  }

  private comment(): void {
    const end = this.source.indexOf('-->', this.offset + 4);
    if (end < 0) this.fail('unterminated comment');
    if (this.source.slice(this.offset + 4, end).includes('--')) this.fail('"--" inside a comment');
    this.offset = end + 3;
  }

  private cdata(): string {
    const start = this.offset + '<![CDATA['.length;
    const end = this.source.indexOf(']]>', start);
    if (end < 0) this.fail('unterminated CDATA section');
    this.offset = end + 3;
    return this.source.slice(start, end);
  }

  private processingInstruction(): void {
    const end = this.source.indexOf('?>', this.offset + 2);
    if (end < 0) this.fail('unterminated processing instruction');
    const target = this.source.slice(this.offset + 2, end).split(/\s/)[0];
    if (target.toLowerCase() === 'xml' && this.offset !== 0) this.fail('the XML declaration must come first');
    this.offset = end + 2;
  }

  private name(): string {
    const start = this.offset;
    if (!isNameStart(this.peek())) this.fail('expected a name');
    while (this.offset < this.source.length && isNameChar(this.peek())) this.offset++;
    return this.source.slice(start, this.offset);
  }

  private whitespace(): boolean {
    const start = this.offset;
    while (this.offset < this.source.length && ' \t\r\n'.includes(this.source[this.offset])) this.offset++;
    return this.offset > start;
  }

  private expect(text: string): void {
    if (!this.source.startsWith(text, this.offset)) this.fail(`expected "${text}"`);
    this.offset += text.length;
  }

  private peek(): string | undefined {
    return this.source[this.offset];
  }

  private fail(message: string, offset: number = this.offset): never {
    throw new XmlSyntaxError(message, offset);
  }
}

/** XML 1.0 `Char`, on UTF-16 code units (surrogates are allowed in pairs). */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xfffd && code !== 0xfffe);
}

function isNameStart(char: string | undefined): boolean {
  return char !== undefined && (/[A-Za-z_:]/.test(char) || char.charCodeAt(0) > 0x7f);
}

function isNameChar(char: string | undefined): boolean {
  return char !== undefined && (isNameStart(char) || /[0-9.-]/.test(char));
}

function codePoint(value: number, wellFormed: boolean): string | undefined {
  if (!wellFormed || !Number.isFinite(value) || value > 0x10ffff) return undefined;
  if (value <= 0xffff && !isXmlChar(value)) return undefined;
  return String.fromCodePoint(value);
}

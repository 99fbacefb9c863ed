/**
 * One pass over one file's AST that records what the cross-file binder needs:
 *  - every `new X(…)` whose `X` refers to an import (directly, through an alias, a
 *    destructured `require`/`await import()`, or a local class extending one), with its scope,
 *    enclosing context, options and singleton pattern;
 *  - what the file exports, as symbolic references (ESM and CommonJS forms).
 * The result is plain data so that it can cross a worker-thread boundary.
 */
import { child, children, codeChildren, memberPropertyName, sourceOf, staticMemberPath, stringValue, unwrapExpression, type AnyNode } from './ast.js';
import { controllerPathOf, describeClassMember, describeFunction, type Frame } from './context.js';
import { LineIndex } from './source-text.js';
import { objectOptions, optionValue } from './options.js';
import { appendPath, ReferenceResolver, type SymRef } from './references.js';
import {
  declareHoistedVars,
  declareLexical,
  isFunctionLike,
  patternBindings,
  propertyKeyName,
  Scope,
  type Binding,
} from './scope.js';
import type { EnclosingContext, OptionValue, SiteScope } from '../types.js';
import type { ConstructionKind } from './bind.js';
import { LIBRARIES } from '../libraries/index.js';
import { COLLECTION_WORDS, mayDeclareCollections, OBSERVATION_WORDS, ObservationRecorder, type Observations, type WalkState } from './observations.js';
import { QUEUE_SPECS } from '../libraries/queues.js';

export type { SymRef } from './references.js';

export interface ConstructionFact {
  /** `new X()` or a factory call `x()`. */
  kind: ConstructionKind;
  callee: SymRef;
  /** The callee as written: `PrismaClient`, `Prisma.PrismaClient`, `Db`. */
  calleeText: string;
  offset: number;
  line: number;
  column: number;
  scope: SiteScope;
  context: EnclosingContext;
  singleton: 'globalThis' | 'lazy' | null;
  assignedTo: string | null;
  options: { [key: string]: OptionValue } | null;
  /** Every argument, described the same way as options (pool sizes may sit in any of them). */
  args: OptionValue[];
  /** The function the site runs in (offsets), or null at module level. */
  enclosingFunction: { start: number; end: number } | null;
  /** End offset of the construction expression (where a fix may add arguments). */
  end: number;
  /** Offsets of the object literal the options were read from, when there is one. */
  optionsRange: { start: number; end: number; keys: string[] } | null;
}

export interface FileFacts {
  file: string;
  /** Exported name → what it refers to (relative to this file). Includes `default`. */
  exports: Map<string, SymRef>;
  /** Sources of `export * from '…'` (and CommonJS `__exportStar(require('…'))`). */
  starExports: string[];
  /** `module.exports = X` / `export = X`. */
  wholeExport: SymRef | null;
  constructions: ConstructionFact[];
  /** Set when the file declares itself generated (then it holds no sites of its own). */
  generatedBy: 'prisma' | 'other' | null;
  /** What the rules need beyond construction sites (collections, calls, shutdown hooks). */
  observations: Observations;
}

interface ModuleFunctionUse {
  calls: { atModuleLevel: boolean; globalGuarded: boolean }[];
  /** References other than calls (passed around, exported): then it may run any number of times. */
  escapes: boolean;
}

export function extractFacts(file: string, text: string, program: AnyNode): FileFacts {
  return new FactsWalker(file, text).run(program);
}

class FactsWalker {
  private readonly lines: LineIndex;
  private readonly references = new ReferenceResolver();
  private readonly ancestors: AnyNode[] = [];
  private readonly frames: Frame[] = [];
  private readonly constructions: (ConstructionFact & { moduleFunction: Binding | null })[] = [];
  private readonly moduleFunctionUses = new Map<Binding, ModuleFunctionUse>();
  private moduleScope!: Scope;
  private interest!: InterestIndex;
  private readonly observer: ObservationRecorder;
  private readonly classNames: string[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    this.lines = new LineIndex(text);
    this.observer = new ObservationRecorder(text, this.lines, this.references);
  }

  run(program: AnyNode): FileFacts {
    const scope = new Scope(null, true);
    this.moduleScope = scope;
    const body = children(program, 'body');
    this.declareImports(scope, body);
    declareLexical(scope, body);
    declareHoistedVars(scope, program);
    this.observer.declareModuleCollections(scope);
    this.interest = buildInterestIndex(this.text, scope, this.observer.collectionNames());
    this.visitChildren(program, scope);
    const constructions = this.finishConstructions();
    const facts: FileFacts = {
      file: this.file,
      exports: new Map(),
      starExports: [],
      wholeExport: null,
      constructions,
      generatedBy: null,
      observations: this.observer.finish(new Set(constructions.flatMap((c) => (c.assignedTo ? [c.assignedTo] : [])))),
    };
    this.collectExports(body, scope, facts);
    return facts;
  }

  // ---------------------------------------------------------------- declarations

  private declareImports(scope: Scope, body: AnyNode[]): void {
    for (const statement of body) {
      if (statement.type === 'ImportDeclaration') {
        const source = stringValue(child(statement, 'source'));
        if (source === null) continue;
        const typeOnlyDeclaration = isTypeOnly(this.text, statement);
        for (const specifier of children(statement, 'specifiers')) {
          const local = child(specifier, 'local')!.name as string;
          const importName =
            specifier.type === 'ImportDefaultSpecifier'
              ? 'default'
              : specifier.type === 'ImportNamespaceSpecifier'
                ? '*'
                : (propertyKeyName(child(specifier, 'imported')!) ?? local);
          scope.declare({
            kind: 'import',
            name: local,
            importSource: source,
            importName,
            typeOnly: typeOnlyDeclaration || isTypeOnly(this.text, specifier),
          });
        }
      } else if (statement.type === 'TSImportEqualsDeclaration' || isExportedImportEquals(statement)) {
        // import Db = require('@prisma/client')
        const declaration = statement.type === 'TSImportEqualsDeclaration' ? statement : child(statement, 'declaration')!;
        const reference = child(declaration, 'moduleReference');
        const source = reference?.type === 'TSExternalModuleReference' ? stringValue(child(reference, 'expression')) : null;
        if (source !== null) {
          scope.declare({ kind: 'import', name: child(declaration, 'id')!.name as string, importSource: source, importName: '*' });
        }
      }
    }
  }

  // ---------------------------------------------------------------- walking

  private visit(node: AnyNode, scope: Scope): void {
    // Most code in a file that mentions a client has nothing to do with it (JSX, utilities,
    // other functions): skip containers that hold no `new` and no call of a factory.
    if (SKIPPABLE.has(node.type) && !this.interest.overlaps(node.start, node.end)) return;
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.visitFunction(node, scope, null);
        return;
      case 'ClassDeclaration':
      case 'ClassExpression':
        this.visitClass(node, scope);
        return;
      case 'BlockStatement':
      case 'StaticBlock': {
        const block = new Scope(scope, false);
        declareLexical(block, children(node, 'body'));
        this.visitChildren(node, block);
        return;
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement': {
        const loop = new Scope(scope, false);
        const head = child(node, node.type === 'ForStatement' ? 'init' : 'left');
        if (head?.type === 'VariableDeclaration' && head.kind !== 'var') {
          for (const declarator of children(head, 'declarations')) {
            for (const { name } of patternBindings(child(declarator, 'id')!)) loop.declare({ kind: 'other', name });
          }
        }
        this.visitChildren(node, loop);
        return;
      }
      case 'CatchClause': {
        const clause = new Scope(scope, false);
        const param = child(node, 'param');
        if (param) for (const { name } of patternBindings(param)) clause.declare({ kind: 'param', name });
        this.visitChildren(node, clause);
        return;
      }
      case 'SwitchStatement': {
        const switchScope = new Scope(scope, false);
        declareLexical(switchScope, children(node, 'cases').flatMap((c) => children(c, 'consequent')));
        this.visitChildren(node, switchScope);
        return;
      }
      case 'NewExpression':
        this.recordConstruction(node, scope);
        this.visitChildren(node, scope);
        return;
      case 'CallExpression':
        this.recordConstruction(node, scope);
        this.observer.onCall(node, this.walkState(scope));
        this.noteModuleFunctionCall(node, scope);
        this.visitChildren(node, scope);
        return;
      case 'Identifier':
        this.noteModuleFunctionEscape(node, scope);
        return;
      case 'MemberExpression':
        this.descend(node, scope, [child(node, 'object'), node.computed ? child(node, 'property') : null]);
        return;
      case 'Property':
        this.descend(node, scope, [node.computed ? child(node, 'key') : null, child(node, 'value')]);
        return;
      case 'VariableDeclarator':
        this.descend(node, scope, [...patternDefaults(child(node, 'id')), child(node, 'init')]);
        return;
      case 'AssignmentExpression':
        this.observer.onAssignment(node, this.walkState(scope));
        this.visitChildren(node, scope);
        return;
      case 'UnaryExpression':
        if (node.operator === 'delete') this.observer.onDelete(node, this.walkState(scope));
        this.visitChildren(node, scope);
        return;
      case 'LabeledStatement':
        this.descend(node, scope, [child(node, 'body')]);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'ExportAllDeclaration':
        return;
      case 'ExportNamedDeclaration':
        this.descend(node, scope, [child(node, 'declaration')]);
        if (!child(node, 'source')) {
          // `export { factory }` lets other modules call it: an escape, not a module-level call.
          for (const specifier of children(node, 'specifiers')) this.descend(specifier, scope, [child(specifier, 'local')]);
        }
        return;
      default:
        this.visitChildren(node, scope);
    }
  }

  /** Visits some children of `node`, keeping `ancestors` = the parents of whatever is being visited. */
  private descend(node: AnyNode, scope: Scope, kids: (AnyNode | null)[]): void {
    this.ancestors.push(node);
    for (const kid of kids) if (kid) this.visit(kid, scope);
    this.ancestors.pop();
  }

  private visitChildren(node: AnyNode, scope: Scope): void {
    this.descend(node, scope, codeChildren(node));
  }

  private visitFunction(fn: AnyNode, scope: Scope, memberFrame: Frame | null): void {
    const frame =
      memberFrame ??
      this.memoizedFactoryFrame(fn, scope) ??
      describeFunction({
        fn,
        ancestors: this.ancestors,
        file: this.file,
        text: this.text,
        line: this.lines.position(fn.start).line,
        atModuleLevel: this.liveFrames().every((f) => f.runsOnce),
      });
    const fnScope = new Scope(scope, true);
    if (fn.type === 'FunctionExpression' && child(fn, 'id')) {
      fnScope.declare({ kind: 'function', name: child(fn, 'id')!.name as string, node: fn });
    }
    const moduleFromPromise = this.importThenModule(fn);
    children(fn, 'params').forEach((param, index) => {
      for (const { name, path } of patternBindings(param)) {
        // import('@prisma/client').then(({ PrismaClient }) => …): the parameter is the module.
        if (index === 0 && moduleFromPromise) fnScope.declare({ kind: 'var', name, init: moduleFromPromise, destructPath: path });
        else fnScope.declare({ kind: 'param', name });
      }
    });
    const body = child(fn, 'body');
    if (body?.type === 'BlockStatement') {
      declareLexical(fnScope, children(body, 'body'));
      declareHoistedVars(fnScope, body);
    }
    this.frames.push(frame);
    this.ancestors.push(fn);
    for (const param of children(fn, 'params')) for (const value of patternDefaults(param)) this.visit(value, fnScope);
    if (body?.type === 'BlockStatement') {
      // The function scope already holds the body's declarations; no extra block scope.
      this.ancestors.push(body);
      for (const statement of children(body, 'body')) this.visit(statement, fnScope);
      this.ancestors.pop();
    } else if (body) {
      this.visit(body, fnScope);
    }
    this.ancestors.pop();
    this.frames.pop();
  }

  /** The `import('x')` whose `.then(fn)` this function is, if it is one. */
  private importThenModule(fn: AnyNode): AnyNode | null {
    const call = this.ancestors[this.ancestors.length - 1];
    if (call?.type !== 'CallExpression' || children(call, 'arguments')[0] !== fn) return null;
    const callee = unwrapExpression(child(call, 'callee')!);
    if (callee.type !== 'MemberExpression' || memberPropertyName(callee) !== 'then') return null;
    const object = unwrapExpression(child(callee, 'object')!);
    return object.type === 'ImportExpression' ? object : null;
  }

  private visitClass(node: AnyNode, scope: Scope): void {
    this.descend(node, scope, [child(node, 'superClass')]);
    const className = this.className(node);
    this.recordNestProviders(node, className, scope);
    const classAtModuleLevel = this.liveFrames().every((f) => f.runsOnce);
    const controllerPath = controllerPathOf(node);
    const body = child(node, 'body');
    this.ancestors.push(node);
    if (body) this.ancestors.push(body);
    this.classNames.push(className);
    for (const member of children(body ?? node, 'body')) {
      if (member.type === 'PropertyDefinition') this.observer.onClassField(className, member);
      if (member.type === 'MethodDefinition') this.observer.onClassMethod(member);
      const line = this.lines.position(member.start).line;
      const frame = describeClassMember(member, className, line, classAtModuleLevel, controllerPath);
      this.ancestors.push(member);
      if (member.computed) this.visit(child(member, 'key')!, scope);
      if (member.type === 'MethodDefinition' || member.type === 'TSAbstractMethodDefinition') {
        const value = child(member, 'value');
        if (value && child(value, 'body')) this.visitFunction(value, scope, frame);
      } else if (member.type === 'PropertyDefinition' || member.type === 'AccessorProperty') {
        const value = child(member, 'value');
        if (value) this.withFrame(frame, () => this.visit(value, scope));
      } else if (member.type === 'StaticBlock') {
        this.withFrame(frame, () => this.visit(member, scope));
      }
      this.ancestors.pop();
    }
    this.classNames.pop();
    if (body) this.ancestors.pop();
    this.ancestors.pop();
  }

  /** What the observation recorder needs to know about the walk at this point. */
  private walkState(scope: Scope): WalkState {
    const frame = this.frames[this.frames.length - 1];
    return {
      scope,
      ancestors: this.ancestors,
      context: () => this.currentContext(this.lines.position(this.ancestors[this.ancestors.length - 1]?.start ?? 0).line),
      className: this.classNames[this.classNames.length - 1] ?? null,
      inConstructor: frame?.kind === 'constructor',
    };
  }

  /**
   * The context a site here runs in: the nearest route handler, queue processor, timer or
   * listener; else the innermost function; else a static field or the module.
   */
  private currentContext(line: number): EnclosingContext {
    const activeFrames = this.liveFrames().filter((frame) => !frame.runsOnce);
    const innermost = activeFrames[activeFrames.length - 1] ?? null;
    const significant = [...activeFrames]
      .reverse()
      .find((frame) => frame.kind === 'route-handler' || frame.kind === 'queue-processor' || frame.kind === 'timer' || frame.kind === 'event-listener');
    const contextFrame = significant ?? innermost;
    const staticFrame = this.frames[this.frames.length - 1];
    return contextFrame
      ? { kind: contextFrame.kind, name: contextFrame.name, line: contextFrame.line }
      : staticFrame?.kind === 'static-field'
        ? { kind: 'static-field', name: staticFrame.name, line: staticFrame.line }
        : { kind: 'module', name: null, line };
  }

  /** The frames that decide how often code here runs: those inside the innermost memoized factory. */
  private liveFrames(): Frame[] {
    let last = -1;
    for (let i = 0; i < this.frames.length; i++) if (this.frames[i]!.memoized) last = i;
    return last === -1 ? this.frames : this.frames.slice(last);
  }

  /**
   * `shared('prisma', () => new PrismaClient())` from leakhound/runtime: the factory runs once
   * per process and key, even when `shared` is called inside a request handler.
   */
  private memoizedFactoryFrame(fn: AnyNode, scope: Scope): Frame | null {
    const call = this.ancestors[this.ancestors.length - 1];
    if (call?.type !== 'CallExpression' || children(call, 'arguments')[1] !== fn) return null;
    const ref = this.references.refOf(child(call, 'callee')!, scope);
    if (ref?.t !== 'module' || ref.source !== 'leakhound/runtime' || ref.path.at(-1) !== 'shared') return null;
    const key = stringValue(children(call, 'arguments')[0] ?? null);
    return { kind: 'function', name: `shared(${key === null ? '…' : `'${key}'`})`, line: this.lines.position(fn.start).line, runsOnce: true, isStatic: false, memoized: true };
  }

  private withFrame(frame: Frame, action: () => void): void {
    this.frames.push(frame);
    action();
    this.frames.pop();
  }

  private className(node: AnyNode): string {
    const id = child(node, 'id');
    if (id) return id.name as string;
    const parent = this.ancestors[this.ancestors.length - 1];
    if (parent?.type === 'VariableDeclarator') return (child(parent, 'id')?.name as string | undefined) ?? 'anonymous class';
    return 'anonymous class';
  }

  // ---------------------------------------------------------------- construction sites

  private recordConstruction(node: AnyNode, scope: Scope): void {
    const kind: ConstructionKind = node.type === 'NewExpression' ? 'new' : 'call';
    const callee = child(node, 'callee')!;
    if (kind === 'call' && !mayCallFactory(callee)) return;
    const ref = this.references.refOf(callee, scope);
    if (!ref || ref.t === 'global') return;
    if (ref.t === 'class' && (kind === 'call' || !classExtendsSomething(ref))) return;
    if (kind === 'call' && !isFactoryCandidate(ref)) return;

    const position = this.lines.position(node.start);
    const activeFrames = this.liveFrames().filter((frame) => !frame.runsOnce);
    const context = this.currentContext(position.line);

    const singleton = this.singletonPattern(node, scope);
    const argumentNodes = children(node, 'arguments');
    const args = argumentNodes.map((argument) =>
      argument.type === 'SpreadElement' ? { $expr: sourceOf(this.text, argument) ?? '...' } : optionValue(argument, scope, this.text),
    );
    const options = argumentNodes.length > 0 ? this.constructorOptions(argumentNodes, scope) : null;
    const enclosing = [...this.ancestors].reverse().find(isFunctionLike);
    const optionsObject = argumentNodes.map(unwrapExpression).find((argument) => argument.type === 'ObjectExpression');

    this.constructions.push({
      kind,
      end: node.end,
      optionsRange: optionsObject
        ? {
            start: optionsObject.start,
            end: optionsObject.end,
            keys: children(optionsObject, 'properties').flatMap((p) => (p.type === 'Property' && !p.computed ? [propertyKeyName(child(p, 'key')!) ?? ''] : [])),
          }
        : null,
      args,
      enclosingFunction: activeFrames.length > 0 && enclosing ? { start: enclosing.start, end: enclosing.end } : null,
      callee: ref,
      calleeText: sourceOf(this.text, unwrapExpression(callee)) ?? '?',
      offset: node.start,
      line: position.line,
      column: position.column,
      scope: activeFrames.length === 0 || singleton ? 'module' : 'function',
      context,
      singleton,
      assignedTo: this.assignmentTarget(node),
      options,
      moduleFunction: activeFrames.length === 1 ? this.enclosingModuleFunction(scope) : null,
    });
  }

  /**
   * NestJS constructs the classes listed in `@Module({ providers: [...] })` itself, once for each
   * module that lists them: `providers: [PrismaService]` in five feature modules is five clients
   * when `PrismaService extends PrismaClient`. Each listing is a construction site.
   */
  private recordNestProviders(classNode: AnyNode, className: string, scope: Scope): void {
    for (const decorator of children(classNode, 'decorators')) {
      const call = unwrapExpression(child(decorator, 'expression')!);
      if (call.type !== 'CallExpression') continue;
      const callee = unwrapExpression(child(call, 'callee')!);
      if (callee.type !== 'Identifier' || callee.name !== 'Module') continue;
      const metadata = children(call, 'arguments')[0];
      if (!metadata || metadata.type !== 'ObjectExpression') continue;
      const providers = children(metadata, 'properties').find((p) => !p.computed && propertyKeyName(child(p, 'key')!) === 'providers');
      const list = providers ? unwrapExpression(child(providers, 'value')!) : null;
      if (list?.type !== 'ArrayExpression') continue;
      for (const element of children(list, 'elements')) {
        const provided = providedClass(element);
        if (!provided) continue;
        const ref = this.references.refOf(provided, scope);
        if (!ref || ref.t === 'global' || (ref.t === 'class' && !classExtendsSomething(ref))) continue;
        const position = this.lines.position(provided.start);
        this.constructions.push({
          callee: ref,
          calleeText: sourceOf(this.text, provided) ?? '?',
          offset: provided.start,
          line: position.line,
          column: position.column,
          scope: 'module',
          context: { kind: 'nest-provider', name: className, line: this.lines.position(classNode.start).line },
          singleton: null,
          assignedTo: null,
          options: null,
          args: [],
          enclosingFunction: null,
          end: provided.end,
          optionsRange: null,
          kind: 'new',
          moduleFunction: null,
        });
      }
    }
  }

  /** The first object-literal argument (`new Sequelize(uri, { pool })`), else the first argument. */
  private constructorOptions(argumentNodes: AnyNode[], scope: Scope): { [key: string]: OptionValue } {
    const objectArgument = argumentNodes.find((argument) => unwrapExpression(argument).type === 'ObjectExpression');
    const expression = unwrapExpression(objectArgument ?? argumentNodes[0]!);
    if (expression.type === 'ObjectExpression') return objectOptions(expression, scope, this.text);
    const value = optionValue(expression, scope, this.text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !('$expr' in value)
      ? value
      : { $arg: value };
  }

  /** Climbs through wrappers to what the new client is stored in. */
  private assignmentTarget(node: AnyNode): string | null {
    let current = node;
    for (let i = this.ancestors.length - 1; i >= 0; i--) {
      const parent = this.ancestors[i]!;
      switch (parent.type) {
        case 'VariableDeclarator': {
          const id = child(parent, 'id');
          return id?.type === 'Identifier' ? (id.name as string) : null;
        }
        case 'AssignmentExpression':
          return child(parent, 'right') === current ? sourceOf(this.text, child(parent, 'left')) : null;
        case 'PropertyDefinition': {
          const key = child(parent, 'key');
          const name = key ? propertyKeyName(key) : null;
          return name === null ? null : parent.static ? `static ${name}` : `this.${name}`;
        }
        case 'LogicalExpression':
        case 'ConditionalExpression':
        case 'AwaitExpression':
        case 'TSAsExpression':
        case 'TSSatisfiesExpression':
        case 'TSNonNullExpression':
        case 'ParenthesizedExpression':
          current = parent;
          continue;
        default:
          return null;
      }
    }
    return null;
  }

  /**
   * `globalForPrisma.prisma ?? new PrismaClient()`, `globalThis.db ??= new …`, and lazily cached
   * clients (`if (!client) client = new …` on a module variable or a static field) run once per
   * process however often the code around them runs.
   */
  private singletonPattern(node: AnyNode, scope: Scope): 'globalThis' | 'lazy' | null {
    let current = node;
    for (let i = this.ancestors.length - 1; i >= 0; i--) {
      const parent = this.ancestors[i]!;
      if (['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'ParenthesizedExpression'].includes(parent.type)) {
        current = parent;
        continue;
      }
      if (parent.type === 'LogicalExpression' && child(parent, 'right') === current && parent.operator !== '&&') {
        if (this.isGlobalRooted(child(parent, 'left')!, scope)) return 'globalThis';
        current = parent;
        continue;
      }
      if (parent.type === 'AssignmentExpression' && child(parent, 'right') === current) {
        const target = child(parent, 'left')!;
        const guarded = parent.operator !== '=' || this.isGuardedBy(target, i);
        if (!guarded) return null;
        if (this.isGlobalRooted(target, scope)) return 'globalThis';
        if (this.isLongLivedTarget(target, scope)) return 'lazy';
        return null;
      }
      return null;
    }
    return null;
  }

  private isGlobalRooted(expression: AnyNode, scope: Scope): boolean {
    const unwrapped = unwrapExpression(expression);
    if (unwrapped.type !== 'MemberExpression') return false;
    return this.references.refOf(unwrapped, scope)?.t === 'global';
  }

  private isLongLivedTarget(target: AnyNode, scope: Scope): boolean {
    const expression = unwrapExpression(target);
    if (expression.type === 'Identifier') return scope.lookup(expression.name as string)?.scope.isModule === true;
    if (expression.type !== 'MemberExpression') return false;
    const object = unwrapExpression(child(expression, 'object')!);
    if (object.type === 'ThisExpression') return this.frames[this.frames.length - 1]?.isStatic === true;
    if (object.type === 'Identifier') {
      const binding = scope.lookup(object.name as string);
      return binding?.kind === 'class' || (binding?.scope.isModule === true && binding.kind === 'var');
    }
    return false;
  }

  /** Is the assignment under a test that mentions its target (`if (!x) x = …`, `x || (x = …)`)? */
  private isGuardedBy(target: AnyNode, fromIndex: number): boolean {
    const wanted = normalise(this.text.slice(target.start, target.end));
    for (let i = fromIndex - 1; i >= 0; i--) {
      const ancestor = this.ancestors[i]!;
      if (isFunctionLike(ancestor)) return false;
      const test =
        ancestor.type === 'IfStatement' || ancestor.type === 'ConditionalExpression'
          ? child(ancestor, 'test')
          : ancestor.type === 'LogicalExpression'
            ? child(ancestor, 'left')
            : null;
      if (test && normalise(this.text.slice(test.start, test.end)).includes(wanted)) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- module-level factory functions

  /**
   * `const prismaClientSingleton = () => new PrismaClient()` called only from module scope (the
   * pattern in Prisma's Next.js guide) builds its client once; the same function called from
   * handlers or exported builds one per call.
   */
  private enclosingModuleFunction(scope: Scope): Binding | null {
    const fnScope = scope.nearestFunctionScope();
    if (fnScope.isModule) return null;
    const fn = [...this.ancestors].reverse().find(isFunctionLike);
    if (!fn || (fn.type !== 'FunctionDeclaration' && fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression')) {
      return null;
    }
    const name =
      fn.type === 'FunctionDeclaration'
        ? (child(fn, 'id')?.name as string | undefined)
        : (() => {
            const index = this.ancestors.lastIndexOf(fn);
            const parent = this.ancestors[index - 1];
            return parent?.type === 'VariableDeclarator' ? (child(parent, 'id')?.name as string | undefined) : undefined;
          })();
    if (!name) return null;
    const binding = this.moduleScope.bindings.get(name);
    return binding && (binding.kind === 'function' || binding.kind === 'var') ? binding : null;
  }

  private moduleFunctionBinding(name: string, scope: Scope): Binding | null {
    const binding = scope.lookup(name);
    if (!binding || !binding.scope.isModule) return null;
    if (binding.kind === 'function') return binding;
    if (binding.kind === 'var' && binding.init && isFunctionLike(unwrapExpression(binding.init))) return binding;
    return null;
  }

  private useOf(binding: Binding): ModuleFunctionUse {
    let use = this.moduleFunctionUses.get(binding);
    if (!use) this.moduleFunctionUses.set(binding, (use = { calls: [], escapes: false }));
    return use;
  }

  private noteModuleFunctionCall(call: AnyNode, scope: Scope): void {
    const callee = unwrapExpression(child(call, 'callee')!);
    if (callee.type !== 'Identifier') return;
    const binding = this.moduleFunctionBinding(callee.name as string, scope);
    if (!binding) return;
    const parent = this.ancestors[this.ancestors.length - 1];
    const globalGuarded =
      parent?.type === 'LogicalExpression' &&
      child(parent, 'right') === call &&
      this.isGlobalRooted(child(parent, 'left')!, scope);
    this.useOf(binding).calls.push({ atModuleLevel: this.liveFrames().every((f) => f.runsOnce), globalGuarded });
  }

  private noteModuleFunctionEscape(identifier: AnyNode, scope: Scope): void {
    const parent = this.ancestors[this.ancestors.length - 1];
    if (parent?.type === 'CallExpression' && unwrapExpression(child(parent, 'callee')!) === identifier) return;
    const binding = this.moduleFunctionBinding(identifier.name as string, scope);
    if (binding) this.useOf(binding).escapes = true;
  }

  private finishConstructions(): ConstructionFact[] {
    return this.constructions.map(({ moduleFunction, ...site }) => {
      if (!moduleFunction || site.scope === 'module') return site;
      const use = this.moduleFunctionUses.get(moduleFunction);
      if (!use || use.escapes || use.calls.length === 0 || !use.calls.every((c) => c.atModuleLevel)) return site;
      return { ...site, scope: 'module', singleton: use.calls.some((c) => c.globalGuarded) ? 'globalThis' : site.singleton };
    });
  }

  // ---------------------------------------------------------------- exports

  private collectExports(body: AnyNode[], scope: Scope, facts: FileFacts): void {
    const exportBinding = (exported: string, local: string) => {
      const binding = scope.lookup(local);
      const ref = binding ? this.references.refOfBinding(binding) : null;
      if (ref) facts.exports.set(exported, ref);
    };
    for (const statement of body) {
      switch (statement.type) {
        case 'ExportNamedDeclaration': {
          if (isTypeOnly(this.text, statement)) break;
          const source = stringValue(child(statement, 'source'));
          const declaration = child(statement, 'declaration');
          if (declaration) {
            for (const name of declaredNames(declaration)) exportBinding(name, name);
          }
          for (const specifier of children(statement, 'specifiers')) {
            if (isTypeOnly(this.text, specifier)) continue;
            const local = propertyKeyName(child(specifier, 'local')!);
            const exported = propertyKeyName(child(specifier, 'exported')!);
            if (local === null || exported === null) continue;
            if (source !== null) facts.exports.set(exported, { t: 'module', source, path: [local] });
            else exportBinding(exported, local);
          }
          break;
        }
        case 'ExportAllDeclaration': {
          if (isTypeOnly(this.text, statement)) break;
          const source = stringValue(child(statement, 'source'));
          if (source === null) break;
          const exported = child(statement, 'exported');
          if (exported) facts.exports.set(propertyKeyName(exported) ?? '*', { t: 'module', source, path: ['*'] });
          else facts.starExports.push(source);
          break;
        }
        case 'ExportDefaultDeclaration': {
          const declaration = child(statement, 'declaration')!;
          const ref =
            declaration.type === 'ClassDeclaration' || declaration.type === 'ClassExpression'
              ? this.references.refOf({ ...declaration, type: 'ClassExpression' }, scope)
              : this.references.refOf(declaration, scope);
          if (ref) facts.exports.set('default', ref);
          break;
        }
        case 'TSExportAssignment': {
          facts.wholeExport = this.references.refOf(child(statement, 'expression')!, scope);
          break;
        }
        case 'ExpressionStatement':
          this.collectCommonJsExport(unwrapExpression(child(statement, 'expression')!), scope, facts);
          break;
      }
    }
  }

  private collectCommonJsExport(expression: AnyNode, scope: Scope, facts: FileFacts): void {
    if (expression.type === 'AssignmentExpression' && expression.operator === '=') {
      const target = staticMemberPath(child(expression, 'left')!);
      const value = child(expression, 'right')!;
      if (!target || scope.lookup(target[0]!)) return;
      if (target.length === 2 && target[0] === 'module' && target[1] === 'exports') {
        const object = unwrapExpression(value);
        if (object.type === 'ObjectExpression') {
          for (const property of children(object, 'properties')) {
            if (property.type === 'SpreadElement') {
              const spread = this.references.refOf(child(property, 'argument')!, scope);
              if (spread?.t === 'module' && spread.path.length === 1 && spread.path[0] === '*') facts.starExports.push(spread.source);
              continue;
            }
            const key = property.computed ? null : propertyKeyName(child(property, 'key')!);
            const ref = key === null ? null : this.references.refOf(child(property, 'value')!, scope);
            if (key !== null && ref) facts.exports.set(key, ref);
          }
        } else {
          const ref = this.references.refOf(value, scope);
          if (ref?.t === 'module' && ref.path.length === 1 && ref.path[0] === '*') facts.starExports.push(ref.source);
          else facts.wholeExport = ref;
        }
        return;
      }
      const name =
        target.length === 3 && target[0] === 'module' && target[1] === 'exports'
          ? target[2]!
          : target.length === 2 && target[0] === 'exports'
            ? target[1]!
            : null;
      const ref = name === null ? null : this.references.refOf(value, scope);
      if (name !== null && ref) facts.exports.set(name, ref);
      return;
    }
    if (expression.type === 'CallExpression') this.collectCompiledReexport(expression, scope, facts);
  }

  /** What TypeScript and Babel emit for re-exports in CommonJS output. */
  private collectCompiledReexport(call: AnyNode, scope: Scope, facts: FileFacts): void {
    const callee = unwrapExpression(child(call, 'callee')!);
    const name = callee.type === 'Identifier' ? (callee.name as string) : memberPropertyName(callee);
    const args = children(call, 'arguments');
    if ((name === '__exportStar' || name === '__export') && args[0]) {
      const ref = this.references.refOf(args[0], scope);
      if (ref?.t === 'module' && ref.path.length === 1 && ref.path[0] === '*') facts.starExports.push(ref.source);
      return;
    }
    // Object.defineProperty(exports, "PrismaClient", { enumerable: true, get: function () { return m.PrismaClient; } })
    if (name === 'defineProperty' && args.length === 3 && staticMemberPath(args[0]!)?.join('.') === 'exports') {
      const exported = stringValue(args[1]!);
      const descriptor = unwrapExpression(args[2]!);
      if (exported === null || descriptor.type !== 'ObjectExpression') return;
      const getter = children(descriptor, 'properties').find((p) => propertyKeyName(child(p, 'key')!) === 'get');
      const fn = getter ? child(getter, 'value') : null;
      const returned = fn ? returnedExpression(fn) : null;
      const ref = returned ? this.references.refOf(returned, scope) : null;
      if (ref) facts.exports.set(exported, ref);
    }
  }
}

/**
 * A call can build a client only through a name or a member path (`knex(…)`, `mysql.createPool(…)`,
 * `require('knex')(…)`); most calls in a file are not worth resolving.
 */
function mayCallFactory(callee: AnyNode): boolean {
  const expression = unwrapExpression(callee);
  return expression.type === 'Identifier' || expression.type === 'MemberExpression' || expression.type === 'CallExpression';
}

/**
 * Calls are recorded only when the name they end in is one a library builds clients with, or
 * the module itself (a default import, a `require`d function): recording every imported
 * helper call would cost the binder a resolution each.
 */
function isFactoryCandidate(ref: SymRef): boolean {
  if (ref.t !== 'module') return false;
  const last = ref.path[ref.path.length - 1]!;
  return last === 'default' || last === '*' || FACTORY_NAMES.has(last);
}

const FACTORY_NAMES: ReadonlySet<string> = new Set([...LIBRARIES, ...QUEUE_SPECS].flatMap((library) => [...library.factories]));

/** Node types worth a range check before walking: big containers of code. */
const SKIPPABLE = new Set([
  'FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'BlockStatement',
  'ExpressionStatement', 'VariableDeclaration', 'ReturnStatement', 'IfStatement', 'ForStatement',
  'ForOfStatement', 'ForInStatement', 'WhileStatement', 'TryStatement', 'SwitchStatement',
  'ObjectExpression', 'ArrayExpression', 'JSXElement', 'JSXFragment', 'TemplateLiteral',
  'MethodDefinition', 'PropertyDefinition',
]);

/** Sorted offsets of the words that make code worth walking. */
class InterestIndex {
  constructor(private readonly offsets: number[]) {}

  /** Is any offset in [start, end)? */
  overlaps(start: number, end: number): boolean {
    let low = 0;
    let high = this.offsets.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.offsets[mid]! < start) low = mid + 1;
      else high = mid;
    }
    return low < this.offsets.length && this.offsets[low]! < end;
  }
}

/**
 * Where a construction can happen: every `new`; every mention of an imported or `require`d
 * name (a factory such as `knex(…)` or `mysql.createPool(…)`) and of `require` itself; and
 * every mention of a module-level function that itself contains one of those (its calls
 * decide whether a factory runs once or per call).
 */
function buildInterestIndex(text: string, moduleScope: Scope, collectionNames: string[]): InterestIndex {
  const offsets = wordOffsets(text, /\bnew\b|\brequire\b/g);
  offsets.push(...wordOffsets(text, OBSERVATION_WORDS), ...namesOffsets(text, collectionNames));
  if (mayDeclareCollections(text)) offsets.push(...wordOffsets(text, COLLECTION_WORDS));
  const imported: string[] = [];
  for (const binding of moduleScope.bindings.values()) {
    const init = binding.kind === 'var' && binding.init ? text.slice(binding.init.start, binding.init.end) : '';
    if ((binding.kind === 'import' && !binding.typeOnly) || /\b(?:require|import)\s*\(/.test(init)) imported.push(binding.name);
  }
  offsets.push(...namesOffsets(text, imported));
  const direct = new InterestIndex(offsets.sort((a, b) => a - b));
  const factories: string[] = [];
  for (const binding of moduleScope.bindings.values()) {
    const node = binding.kind === 'function' ? binding.node : binding.kind === 'var' && binding.init && isFunctionLike(unwrapExpression(binding.init)) ? binding.init : null;
    if (node && direct.overlaps(node.start, node.end)) factories.push(binding.name);
  }
  if (factories.length === 0) return direct;
  return new InterestIndex([...offsets, ...namesOffsets(text, factories)].sort((a, b) => a - b));
}

function namesOffsets(text: string, names: string[]): number[] {
  const plain = names.filter((name) => /^[\w$]+$/.test(name));
  if (plain.length === 0) return [];
  return wordOffsets(text, new RegExp(`(?<![\\w$])(?:${plain.map((name) => name.replace(/\$/g, '\\$')).join('|')})(?![\\w$])`, 'g'));
}

function wordOffsets(text: string, pattern: RegExp): number[] {
  const out: number[] = [];
  for (const match of text.matchAll(pattern)) out.push(match.index);
  return out;
}

/**
 * `import type …`, `export type { … }`, `import { type X }`: read from the source text, because
 * the parser is asked for a JavaScript-shaped AST (see parse.ts), which leaves out importKind.
 * `import type from './type'` imports a default export named `type`: not type-only.
 */
function isTypeOnly(text: string, node: AnyNode): boolean {
  const head = text.slice(node.start, node.start + 40);
  if (node.type === 'ImportDeclaration' || node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') {
    return /^(?:import|export)\s+type\b(?!\s*(?:from\b|=|,))/.test(head);
  }
  return /^type\s+(?!as\s+[\w$]+\s*[,}])[\w$'"]/.test(head);
}

/** Default values inside a binding pattern are code that runs; the names themselves are not. */
function patternDefaults(pattern: AnyNode | null): AnyNode[] {
  if (!pattern) return [];
  const out: AnyNode[] = [];
  if (pattern.type === 'AssignmentPattern') {
    out.push(child(pattern, 'right')!, ...patternDefaults(child(pattern, 'left')));
  }
  for (const item of [...children(pattern, 'properties'), ...children(pattern, 'elements')]) {
    out.push(...patternDefaults(item.type === 'Property' ? child(item, 'value') : item));
  }
  if (pattern.type === 'RestElement') out.push(...patternDefaults(child(pattern, 'argument')));
  return out;
}

function isExportedImportEquals(statement: AnyNode): boolean {
  return statement.type === 'ExportNamedDeclaration' && child(statement, 'declaration')?.type === 'TSImportEqualsDeclaration';
}

/** `PrismaService` or `{ provide: X, useClass: PrismaService }` in a providers list. */
function providedClass(element: AnyNode): AnyNode | null {
  const expression = unwrapExpression(element);
  if (expression.type === 'Identifier' || expression.type === 'MemberExpression') return expression;
  if (expression.type !== 'ObjectExpression') return null;
  const useClass = children(expression, 'properties').find((p) => !p.computed && propertyKeyName(child(p, 'key')!) === 'useClass');
  return useClass ? unwrapExpression(child(useClass, 'value')!) : null;
}

function classExtendsSomething(ref: SymRef): boolean {
  let current: SymRef | null = ref;
  while (current && current.t === 'class') current = current.superRef;
  return current !== null && current.t === 'module';
}

function declaredNames(declaration: AnyNode): string[] {
  if (declaration.type === 'VariableDeclaration') {
    return children(declaration, 'declarations').flatMap((d) => patternBindings(child(d, 'id')!).map((b) => b.name));
  }
  const id = child(declaration, 'id');
  return id?.type === 'Identifier' ? [id.name as string] : [];
}

function returnedExpression(fn: AnyNode): AnyNode | null {
  const body = child(fn, 'body');
  if (!body) return null;
  if (body.type !== 'BlockStatement') return body;
  const statement = children(body, 'body')[0];
  return statement?.type === 'ReturnStatement' ? child(statement, 'argument') : null;
}

function normalise(source: string): string {
  return source.replace(/\s+/g, '').replace(/\?\./g, '.');
}

// Re-exported for the binder: module references compose the same way everywhere.
export { appendPath };

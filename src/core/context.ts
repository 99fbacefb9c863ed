/**
 * Naming what encloses a construction site: an Express handler `POST /:id/reschedule`, a Bull
 * processor `process 'send'`, a timer, a constructor `TaskService.constructor`. The name is
 * what a reader needs to find the code; the kind decides whether the site runs once or per call.
 */
import { child, children, memberPropertyName, sourceOf, stringValue, unwrapExpression, type AnyNode } from './ast.js';
import { isNextRouteFile, nextRoutePath } from './next-routes.js';
import type { ContextKind } from '../types.js';

export interface Frame {
  kind: ContextKind;
  name: string | null;
  line: number;
  /** Runs once per process although it is a function-like construct (module-level IIFE, static member). */
  runsOnce: boolean;
  /** Inside a static method/field/block, where `this` is the class itself. */
  isStatic: boolean;
  /**
   * A factory that runs at most once per process wherever it is called from (the factory of
   * leakhound/runtime's `shared(key, factory)`): the frames around it do not make it per-call.
   */
  memoized?: boolean;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options']);
const NEXT_HANDLER_NAMES = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'handler', 'default']);
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'addEventListener', 'prependListener', '$on']);
const TIMER_FUNCTIONS = new Set(['setInterval', 'setTimeout', 'setImmediate']);
const SCHEDULER_METHODS = new Set(['schedule', 'scheduleJob']);
const QUEUE_METHODS = new Set(['process', 'define', 'consume', 'processJob']);
const NEST_ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options']);
const NEST_QUEUE_DECORATORS = new Set(['Process', 'EventPattern', 'MessagePattern', 'Processor']);
const NEST_TIMER_DECORATORS = new Set(['Cron', 'Interval', 'Timeout']);

export interface DescribeInput {
  fn: AnyNode;
  /** Enclosing nodes, outermost first; the last one is the function's parent. */
  ancestors: readonly AnyNode[];
  file: string;
  text: string;
  line: number;
  /** True when no function frame encloses this one (only the module). */
  atModuleLevel: boolean;
}

/** A frame for a plain function, arrow or function expression, named from where it stands. */
export function describeFunction(input: DescribeInput): Frame {
  const { fn, ancestors, file, text, line } = input;
  const parent = ancestors[ancestors.length - 1] ?? null;
  const frame = (kind: ContextKind, name: string | null): Frame => ({ kind, name, line, runsOnce: false, isStatic: false });
  const exported = parent?.type === 'ExportNamedDeclaration' || parent?.type === 'ExportDefaultDeclaration';

  if (fn.type === 'FunctionDeclaration') {
    const name = (child(fn, 'id')?.name as string | undefined) ?? 'default';
    if (exported && isNextRouteFile(file) && NEXT_HANDLER_NAMES.has(name)) return nextRoute(frame, name, file);
    return frame('function', name);
  }
  if (!parent) return frame('callback', null);
  switch (parent.type) {
    case 'VariableDeclarator': {
      const name = (child(parent, 'id')?.name as string | undefined) ?? null;
      // export const GET = async () => … : declarator → declaration → export.
      const exportedConst = ancestors[ancestors.length - 3]?.type === 'ExportNamedDeclaration';
      if (name && exportedConst && isNextRouteFile(file) && NEXT_HANDLER_NAMES.has(name)) {
        return nextRoute(frame, name, file);
      }
      return frame('function', name);
    }
    case 'ExportDefaultDeclaration':
      return isNextRouteFile(file) ? nextRoute(frame, 'default', file) : frame('function', 'default export');
    case 'AssignmentExpression':
      return frame('function', sourceOf(text, child(parent, 'left')));
    case 'Property': {
      const key = child(parent, 'key');
      const name = key ? ((key.name as string | undefined) ?? stringValue(key)) : null;
      return frame(name === 'handler' ? 'route-handler' : 'method', name);
    }
    case 'CallExpression':
    case 'NewExpression': {
      if (parent.type === 'CallExpression' && unwrapExpression(child(parent, 'callee')!) === fn) {
        // An immediately invoked function runs once wherever its caller runs.
        return { kind: 'function', name: 'IIFE', line, runsOnce: input.atModuleLevel, isStatic: false };
      }
      return describeCallback(parent, fn, text, line);
    }
    default:
      return frame('callback', null);
  }
}

function nextRoute(make: (kind: ContextKind, name: string | null) => Frame, name: string, file: string): Frame {
  const method = name === 'default' || name === 'handler' ? 'handler' : name;
  return make('route-handler', `${method} ${nextRoutePath(file) ?? ''}`.trim());
}

/** A function passed to a call: what the call is says what the function is. */
function describeCallback(call: AnyNode, fn: AnyNode, text: string, line: number): Frame {
  const frame = (kind: ContextKind, name: string | null): Frame => ({ kind, name, line, runsOnce: false, isStatic: false });
  const callee = unwrapExpression(child(call, 'callee')!);
  // `app.route('/x').get(fn)`: the object may be a call, so take the property name alone.
  const isMember = callee.type === 'MemberExpression';
  const method = isMember ? memberPropertyName(callee) : callee.type === 'Identifier' ? (callee.name as string) : null;
  const args = children(call, 'arguments');
  const firstString = stringValue(args[0] ?? null);
  const calleeText = sourceOf(text, callee) ?? 'call';

  if (call.type === 'NewExpression') {
    if (method === 'Worker' && firstString !== null) return frame('queue-processor', `worker '${firstString}'`);
    if (method === 'CronJob') return frame('timer', `cron ${firstString ?? ''}`.trim());
    return frame('callback', `callback of new ${calleeText}`);
  }
  if (!method) return frame('callback', `callback of ${calleeText}`);
  if (!isMember && TIMER_FUNCTIONS.has(method)) return frame('timer', method);
  if (isMember) {
    const lower = method.toLowerCase();
    if (HTTP_METHODS.has(lower) && ((args[0] !== fn && isRoutePath(args[0])) || isChainedRoute(callee))) {
      const route = routePathOf(args[0]!, callee, text);
      return frame('route-handler', `${lower === 'del' ? 'DELETE' : lower.toUpperCase()} ${route}`.trim());
    }
    if (method === 'use' || method === 'route') return frame('route-handler', `middleware ${firstString ?? ''}`.trim());
    if (QUEUE_METHODS.has(method)) return frame('queue-processor', `${method} '${firstString ?? 'default'}'`);
    if (SCHEDULER_METHODS.has(method)) return frame('timer', `${method} ${firstString ?? ''}`.trim());
    if (LISTENER_METHODS.has(method)) return frame('event-listener', `${calleeText}('${firstString ?? '?'}')`);
  }
  return frame('callback', `callback of ${calleeText}`);
}

/** `app.route('/tasks').get(handler)` */
function isChainedRoute(callee: AnyNode): boolean {
  const object = unwrapExpression(child(callee, 'object')!);
  if (object.type !== 'CallExpression') return false;
  const inner = unwrapExpression(child(object, 'callee')!);
  return inner.type === 'MemberExpression' && memberPropertyName(inner) === 'route';
}

function isRoutePath(node: AnyNode | undefined): boolean {
  if (!node) return false;
  return (
    node.type === 'TemplateLiteral' ||
    (node.type === 'Literal' && (typeof node.value === 'string' || (node as { regex?: unknown }).regex !== undefined)) ||
    node.type === 'ArrayExpression'
  );
}

function routePathOf(first: AnyNode, callee: AnyNode, text: string): string {
  const literal = stringValue(first);
  if (literal !== null) return literal;
  if (isFunction(first)) first = callee;
  // app.route('/tasks').get(handler): the path sits on the chained call.
  const object = callee.type === 'MemberExpression' ? unwrapExpression(child(callee, 'object')!) : null;
  if (object?.type === 'CallExpression') {
    const inner = stringValue(children(object, 'arguments')[0] ?? null);
    if (inner !== null) return inner;
  }
  return first === callee ? '' : (sourceOf(text, first) ?? '');
}

function isFunction(node: AnyNode): boolean {
  return node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression';
}

/** Frames for class members; NestJS decorators turn methods into handlers, processors and timers. */
export function describeClassMember(
  member: AnyNode,
  className: string,
  line: number,
  classAtModuleLevel: boolean,
  controllerPath: string | null = null,
): Frame {
  const key = child(member, 'key');
  const keyName = key ? ((key.name as string | undefined) ?? stringValue(key) ?? '[computed]') : '[computed]';
  const isStatic = member.static === true;
  if (member.type === 'StaticBlock') {
    return { kind: 'static-field', name: `${className} static block`, line, runsOnce: classAtModuleLevel, isStatic: true };
  }
  if (member.type === 'PropertyDefinition' || member.type === 'AccessorProperty') {
    if (isStatic) {
      return { kind: 'static-field', name: `${className}.${keyName}`, line, runsOnce: classAtModuleLevel, isStatic: true };
    }
    return { kind: 'instance-field', name: `${className}.${keyName}`, line, runsOnce: false, isStatic: false };
  }
  const decorated = decoratorFrame(member, className, keyName, line, controllerPath);
  if (decorated) return decorated;
  if (member.kind === 'constructor') {
    return { kind: 'constructor', name: `${className}.constructor`, line, runsOnce: false, isStatic: false };
  }
  return { kind: 'method', name: `${className}.${keyName}`, line, runsOnce: false, isStatic };
}

function decoratorFrame(member: AnyNode, className: string, keyName: string, line: number, controllerPath: string | null): Frame | null {
  for (const decorator of children(member, 'decorators')) {
    const expression = unwrapExpression(child(decorator, 'expression')!);
    const callee = expression.type === 'CallExpression' ? unwrapExpression(child(expression, 'callee')!) : expression;
    const name = callee.type === 'Identifier' ? (callee.name as string) : null;
    if (!name) continue;
    const argument = expression.type === 'CallExpression' ? stringValue(children(expression, 'arguments')[0] ?? null) : null;
    const base = { line, runsOnce: false, isStatic: false };
    if (NEST_ROUTE_DECORATORS.has(name)) {
      const path = joinRoutePaths(controllerPath, argument);
      return { ...base, kind: 'route-handler', name: `${name.toUpperCase()} ${path} (${className}.${keyName})` };
    }
    if (NEST_QUEUE_DECORATORS.has(name)) return { ...base, kind: 'queue-processor', name: `${className}.${keyName}` };
    if (NEST_TIMER_DECORATORS.has(name)) return { ...base, kind: 'timer', name: `${className}.${keyName}` };
    if (name === 'OnEvent') return { ...base, kind: 'event-listener', name: `${className}.${keyName}` };
  }
  return null;
}

/** `@Controller('orders')` + `@Get(':id')` → `/orders/:id`. */
function joinRoutePaths(prefix: string | null, path: string | null): string {
  const parts = [prefix, path].filter((part): part is string => part !== null && part !== '').map((part) => part.replace(/^\/+|\/+$/g, ''));
  return `/${parts.filter((part) => part !== '').join('/')}`;
}

/** The path of a NestJS `@Controller('orders')` (or `@Controller({ path: 'orders' })`). */
export function controllerPathOf(classNode: AnyNode): string | null {
  for (const decorator of children(classNode, 'decorators')) {
    const call = unwrapExpression(child(decorator, 'expression')!);
    if (call.type !== 'CallExpression') continue;
    const callee = unwrapExpression(child(call, 'callee')!);
    if (callee.type !== 'Identifier' || callee.name !== 'Controller') continue;
    const argument = children(call, 'arguments')[0] ?? null;
    if (argument?.type === 'ObjectExpression') {
      const path = children(argument, 'properties').find((p) => child(p, 'key')?.name === 'path');
      return path ? stringValue(child(path, 'value')) : '';
    }
    return stringValue(argument) ?? '';
  }
  return null;
}

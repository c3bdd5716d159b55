import ts from 'typescript'

export type HandlerKind = 'loader' | 'action'

/**
 * Checks, in a route module's source, that each of its loader and action functions calls
 * `requireAccess(<its own args>, '<its route id>', '<loader|action>')` as one of its own top-level statements —
 * not inside a condition, a callback or a helper, where it might not run. The export may take any form
 * (`export async function loader`, `export const loader = async (args) => …`, `export { handler as loader }`, a
 * `satisfies` or `as` around it); one the parser cannot follow to a function defined in the module (a wrapper call,
 * an import, a re-export) is a problem too, so a new way of writing routes fails the check instead of slipping
 * past it. `kinds` are the handlers the build says the route has; one the source exports beyond them is reported.
 * Returns the problems, one readable line each; empty when all is well.
 */
export function routeAccessProblems(
  source: string,
  fileName: string,
  routeId: string,
  kinds: readonly HandlerKind[],
): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, scriptKindOf(fileName))
  const locals = new Map<string, ts.Node>()
  const exported = new Map<string, ts.Node | { reexport: string } | { missing: string }>()
  let exportsAll = false

  for (const statement of file.statements) {
    const isExported = ts.canHaveModifiers(statement)
      ? (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      : false
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      locals.set(statement.name.text, statement)
      if (isExported) exported.set(statement.name.text, statement)
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) continue
        locals.set(declaration.name.text, declaration)
        if (isExported) exported.set(declaration.name.text, declaration)
      }
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause
      if (clause.name) locals.set(clause.name.text, clause)
      const bindings = clause.namedBindings
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) locals.set(element.name.text, element)
      } else if (bindings) locals.set(bindings.name.text, bindings)
    } else if (ts.isExportDeclaration(statement)) {
      const from = statement.moduleSpecifier
      const clause = statement.exportClause
      if (!clause) {
        exportsAll = true // export * from '…'
      } else if (ts.isNamedExports(clause)) {
        for (const element of clause.elements) {
          const localName = (element.propertyName ?? element.name).text
          exported.set(
            element.name.text,
            from && ts.isStringLiteral(from)
              ? { reexport: `${localName} from '${from.text}'` }
              : (locals.get(localName) ?? { missing: localName }),
          )
        }
      }
    }
  }
  // `export { handler as loader }` may come before `function handler`: resolve names once everything is known.
  for (const [name, node] of exported) {
    if ('missing' in node) {
      const local = locals.get(node.missing)
      if (local) exported.set(name, local)
    }
  }

  const problems: string[] = []
  for (const kind of ['loader', 'action'] as const) {
    const target = exported.get(kind)
    if (!kinds.includes(kind)) {
      if (target)
        problems.push(
          `${fileName}: exports ${kind === 'action' ? 'an' : 'a'} ${kind} the build does not have (rebuild?)`,
        )
      continue
    }
    if (!target) {
      problems.push(
        exportsAll
          ? `${fileName}: its ${kind} comes from \`export *\`; define it in the route module`
          : `${fileName}: the build has ${kind === 'action' ? 'an' : 'a'} ${kind} this check cannot find in the source`,
      )
      continue
    }
    if ('missing' in target) {
      problems.push(
        `${fileName}: exports \`${target.missing}\` as its ${kind}, which the module does not define`,
      )
      continue
    }
    if ('reexport' in target) {
      problems.push(`${fileName}: ${kind} is re-exported (${target.reexport}); define it in the route module`)
      continue
    }
    const handler = functionOf(target, locals, new Set())
    if (!handler) {
      problems.push(
        `${fileName}: ${kind} is not a function defined in the module (a wrapper or an import); ` +
          'write it as a function that calls requireAccess',
      )
      continue
    }
    const problem = requireAccessProblem(handler, routeId, kind)
    if (problem) problems.push(`${fileName}: ${kind} ${problem}`)
  }
  return problems
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX
  if (fileName.endsWith('.js')) return ts.ScriptKind.JS
  return ts.ScriptKind.TS
}

type Handler = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction

/** Parentheses, `as`, `satisfies`, `<T>x` and `x!` change nothing about which function it is. */
function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isTypeAssertionExpression(current) ||
    ts.isNonNullExpression(current)
  ) {
    current = current.expression
  }
  return current
}

/** The function a declaration names, following `const loader = handler` within the module. */
function functionOf(node: ts.Node, locals: Map<string, ts.Node>, seen: Set<ts.Node>): Handler | null {
  if (seen.has(node)) return null
  seen.add(node)
  if (ts.isFunctionDeclaration(node)) return node.body ? node : null
  if (!ts.isVariableDeclaration(node) || !node.initializer) return null
  const value = unwrap(node.initializer)
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value
  if (ts.isIdentifier(value)) {
    const local = locals.get(value.text)
    return local ? functionOf(local, locals, seen) : null
  }
  return null
}

function isFunctionLike(node: ts.Node): boolean {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessor(node) ||
    ts.isSetAccessor(node) ||
    ts.isClassLike(node)
  )
}

function isRequireAccessCall(node: ts.Node): node is ts.CallExpression {
  return (
    ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'requireAccess'
  )
}

function literalText(node: ts.Expression | undefined): string | null {
  if (!node) return null
  const value = unwrap(node)
  return ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value) ? value.text : null
}

/** Null when the handler calls requireAccess properly; otherwise what is wrong, as the end of a sentence. */
function requireAccessProblem(handler: Handler, routeId: string, kind: HandlerKind): string | null {
  const parameter = handler.parameters[0]
  if (!parameter) return 'takes no arguments, so it cannot pass them to requireAccess'
  if (!ts.isIdentifier(parameter.name)) {
    return 'destructures its arguments; take them whole (`args`) and pass them to requireAccess'
  }
  const argsName = parameter.name.text
  const expected = `requireAccess(${argsName}, '${routeId}', '${kind}')`

  // The calls the handler's own statements make unconditionally: `requireAccess(…)`, `const auth = requireAccess(…)`
  // or with await, at the top level of its body.
  const body = handler.body
  if (!body) return 'has no body'
  const topLevel: ts.CallExpression[] = []
  if (ts.isBlock(body)) {
    for (const statement of body.statements) {
      const expressions = ts.isExpressionStatement(statement)
        ? [statement.expression]
        : ts.isVariableStatement(statement)
          ? statement.declarationList.declarations.flatMap((d) => (d.initializer ? [d.initializer] : []))
          : ts.isReturnStatement(statement) && statement.expression
            ? [statement.expression]
            : []
      for (const expression of expressions) {
        let value = unwrap(expression)
        if (ts.isAwaitExpression(value)) value = unwrap(value.expression)
        if (isRequireAccessCall(value)) topLevel.push(value)
      }
    }
  }
  // Every call anywhere in the handler's own code (not in functions it defines), to say what is wrong.
  const anywhere: ts.CallExpression[] = []
  const visit = (node: ts.Node) => {
    if (node !== handler && isFunctionLike(node)) return
    if (isRequireAccessCall(node)) anywhere.push(node)
    ts.forEachChild(node, visit)
  }
  ts.forEachChild(handler, visit)

  const proper = (call: ts.CallExpression) => {
    const [first, id, which] = call.arguments
    return (
      first !== undefined &&
      ts.isIdentifier(unwrap(first)) &&
      (unwrap(first) as ts.Identifier).text === argsName &&
      literalText(id) === routeId &&
      literalText(which) === kind
    )
  }
  if (topLevel.some(proper)) return null
  const properElsewhere = anywhere.find(proper)
  if (properElsewhere) {
    return `calls ${expected} only inside a condition, loop or block; call it as one of the function's own statements`
  }
  const other = anywhere[0]
  if (other) {
    const shown = other.getText().replace(/\s+/g, ' ')
    return `calls ${shown.length > 120 ? `${shown.slice(0, 117)}…` : shown} instead of ${expected}`
  }
  return `does not call ${expected}`
}
